using MediaVault.Accounts;
using MediaVault.Auth;
using MediaVault.Images;
using MediaVault.Limits;
using MediaVault.Products;
using MediaVault.Profiles;
using MediaVault.Uploads;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace MediaVault.Data;

/// <summary>The one model, shared by both databases. Each provider has a sealed subclass only so
/// that its migrations (which differ in column types) are found for it and not for the other.</summary>
public abstract class MediaVaultDb(DbContextOptions options)
    : IdentityDbContext<IdentityUser>(options), IDataProtectionKeyContext
{
    public DbSet<Image> Images => Set<Image>();
    public DbSet<Upload> Uploads => Set<Upload>();
    public DbSet<Product> Products => Set<Product>();
    public DbSet<Profile> Profiles => Set<Profile>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<AccountDeletion> AccountDeletions => Set<AccountDeletion>();
    public DbSet<UsageLock> UsageLocks => Set<UsageLock>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<Image>(e =>
        {
            e.Property(x => x.OwnerId).HasMaxLength(450);
            e.Property(x => x.Collection).HasMaxLength(40);
            e.Property(x => x.Key).HasMaxLength(2048);
            e.Property(x => x.Filename).HasMaxLength(1024);
            e.Property(x => x.ContentType).HasMaxLength(100);
            e.HasIndex(x => new { x.OwnerId, x.CreatedAt, x.Id });
            e.HasIndex(x => new { x.OwnerId, x.Key });
            e.HasIndex(x => x.Key); // clean-up walks keys in order beside the store's listing
            e.HasIndex(x => new { x.ProductId, x.Position });
            e.HasIndex(x => x.PendingUntil);
            // No foreign key to Products: adding one makes SQLite rebuild the table outside the migration's
            // transaction. Edits and deletes of a product lock its row first, so they never interleave.
        });
        builder.Entity<Product>(e =>
        {
            e.Property(x => x.OwnerId).HasMaxLength(450);
            e.Property(x => x.Name).HasMaxLength(Product.MaxName);
            e.Property(x => x.Description).HasMaxLength(Product.MaxDescription);
            e.Property(x => x.Price).HasPrecision(12, 2);
            e.HasIndex(x => new { x.CreatedAt, x.Id });
            e.HasIndex(x => x.OwnerId);
        });
        builder.Entity<Profile>(e =>
        {
            e.HasKey(x => x.UserId);
            e.Property(x => x.UserId).HasMaxLength(450);
            e.Property(x => x.DisplayName).HasMaxLength(Profile.MaxDisplayName);
            e.Property(x => x.PictureKey).HasMaxLength(2048);
            e.HasOne<IdentityUser>().WithOne().HasForeignKey<Profile>(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<UsageLock>(e =>
        {
            e.HasKey(x => x.UserId);
            e.Property(x => x.UserId).HasMaxLength(450);
        });
        builder.Entity<Upload>(e =>
        {
            e.Property(x => x.OwnerId).HasMaxLength(450);
            e.Property(x => x.Collection).HasMaxLength(40);
            e.Property(x => x.StagingKey).HasMaxLength(512);
            e.Property(x => x.FinalKey).HasMaxLength(512);
            e.Property(x => x.Filename).HasMaxLength(1024);
            e.Property(x => x.DeclaredType).HasMaxLength(100);
            e.Property(x => x.Method).HasMaxLength(8);
            e.HasIndex(x => x.StagingKey).IsUnique();
            e.HasIndex(x => x.ImageId).IsUnique();
            e.HasIndex(x => x.FinalKey);
            e.HasIndex(x => new { x.StagingSwept, x.ExpiresAt });
            e.HasIndex(x => new { x.OwnerId, x.State }); // quotas count a user's uploads
        });
        builder.Entity<RefreshToken>(e =>
        {
            e.Property(x => x.UserId).HasMaxLength(450);
            e.Property(x => x.TokenHash).HasMaxLength(64);
            e.Property(x => x.SecurityStamp).HasMaxLength(256);
            e.HasIndex(x => x.TokenHash).IsUnique();
            e.HasIndex(x => x.UserId);
            e.HasIndex(x => x.ExpiresAt);
            e.HasOne<IdentityUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<AccountDeletion>(e =>
        {
            e.HasKey(x => x.UserId);
            e.Property(x => x.UserId).HasMaxLength(450);
        });
    }
}

public sealed class SqliteMediaVaultDb(DbContextOptions<SqliteMediaVaultDb> options) : MediaVaultDb(options);

public sealed class PostgresMediaVaultDb(DbContextOptions<PostgresMediaVaultDb> options) : MediaVaultDb(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // Object keys compare byte by byte, as object stores list them (SQLite's default already does).
        builder.Entity<Image>().Property(x => x.Key).UseCollation("C");
        builder.Entity<Upload>().Property(x => x.StagingKey).UseCollation("C");
        builder.Entity<Upload>().Property(x => x.FinalKey).UseCollation("C");
    }
}
