using MediaVault.Data;
using MediaVault.Tests.Infrastructure;
using MediaVault.Uploads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace MediaVault.Tests.Data;

/// <summary>A database made by the landed schema keeps every row when the new migrations run, on both databases.</summary>
public sealed class DatabaseUpgradeTests
{
    // The schema that shipped before this upgrade, per database.
    private static string Landed(DatabaseKind kind) =>
        kind == DatabaseKind.Sqlite ? "20261124121534_Initial" : "20261201190105_Initial";

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.PostgreSQL)]
    public async Task UpgradingTheLandedSchemaKeepsImagesAndUploads(DatabaseKind kind)
    {
        var file = Path.Combine(Path.GetTempPath(), $"mediavault-upgrade-{Guid.NewGuid():N}.db");
        var connection = kind == DatabaseKind.Sqlite ? $"Data Source={file}" : await PostgresServer.Current.CreateDatabaseAsync(migrated: false);
        try
        {
            await using (var db = Open(kind, connection))
                await db.GetService<IMigrator>().MigrateAsync(Landed(kind));

            var imageId = Guid.CreateVersion7();
            var uploadId = Guid.CreateVersion7();
            var created = new DateTime(2026, 11, 30, 12, 0, 0, 123, DateTimeKind.Utc);
            // Rows as the landed code wrote them: only the columns it had.
            await using (var db = Open(kind, connection))
            {
                object Id(Guid g) => kind == DatabaseKind.Sqlite ? g.ToString().ToUpperInvariant() : g; // EF keeps SQLite GUIDs as text
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO "Images" ("Id", "OwnerId", "Collection", "Key", "Filename", "ContentType", "Size", "Width", "Height", "CreatedAt")
                    VALUES ({Id(imageId)}, {"owner-1"}, {"images"}, {"images/owner-1/a.png"}, {"cat.png"}, {"image/png"}, {1234L}, {64}, {48}, {created})
                    """);
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO "Uploads" ("Id", "OwnerId", "Collection", "StagingKey", "ImageId", "Filename", "DeclaredType", "DeclaredSize", "Method", "State", "CreatedAt", "ExpiresAt", "ClaimedAt", "StagingSwept")
                    VALUES ({Id(uploadId)}, {"owner-1"}, {"images"}, {"staging/abc"}, {Id(Guid.CreateVersion7())}, {"dog.jpg"}, {"image/jpeg"}, {99L}, {"PUT"}, {0}, {created}, {created.AddMinutes(10)}, {(DateTime?)null}, {false})
                    """);
            }

            await using (var db = Open(kind, connection))
            {
                Assert.NotEmpty(await db.Database.GetPendingMigrationsAsync());
                await db.Database.MigrateAsync();
                Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            }

            await using (var db = Open(kind, connection))
            {
                var image = await db.Images.AsNoTracking().SingleAsync(i => i.Id == imageId);
                Assert.Equal(("owner-1", "images/owner-1/a.png", "cat.png", "image/png", 1234L, 64, 48),
                    (image.OwnerId, image.Key, image.Filename, image.ContentType, image.Size, image.Width, image.Height));
                Assert.Equal(created, DateTime.SpecifyKind(image.CreatedAt, DateTimeKind.Utc));
                var upload = await db.Uploads.AsNoTracking().SingleAsync(u => u.Id == uploadId);
                Assert.Equal(("staging/abc", "dog.jpg", "image/jpeg", 99L, UploadState.Pending), (upload.StagingKey, upload.Filename, upload.DeclaredType, upload.DeclaredSize, upload.State));
                Assert.Null(upload.FinalKey); // clean-up derives it from the declared type
                Assert.Null(upload.ClaimToken);
            }
        }
        finally
        {
            if (kind == DatabaseKind.PostgreSQL) await PostgresServer.Current.DropDatabaseAsync(connection);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    private static MediaVaultDb Open(DatabaseKind kind, string connection) => kind == DatabaseKind.Sqlite
        ? new SqliteMediaVaultDb(new DbContextOptionsBuilder<SqliteMediaVaultDb>().UseSqlite(connection).Options)
        : new PostgresMediaVaultDb(new DbContextOptionsBuilder<PostgresMediaVaultDb>().UseNpgsql(connection).Options);
}
