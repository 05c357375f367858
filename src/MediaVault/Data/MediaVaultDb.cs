using MediaVault.Images;
using MediaVault.Uploads;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace MediaVault.Data;

public sealed class MediaVaultDb(DbContextOptions<MediaVaultDb> options)
    : IdentityDbContext<IdentityUser>(options), IDataProtectionKeyContext
{
    public DbSet<Image> Images => Set<Image>();
    public DbSet<Upload> Uploads => Set<Upload>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

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
        });
        builder.Entity<Upload>(e =>
        {
            e.Property(x => x.OwnerId).HasMaxLength(450);
            e.Property(x => x.Collection).HasMaxLength(40);
            e.Property(x => x.StagingKey).HasMaxLength(512);
            e.Property(x => x.Filename).HasMaxLength(1024);
            e.Property(x => x.DeclaredType).HasMaxLength(100);
            e.Property(x => x.Method).HasMaxLength(8);
            e.HasIndex(x => x.StagingKey).IsUnique();
            e.HasIndex(x => x.ImageId).IsUnique();
            e.HasIndex(x => new { x.StagingSwept, x.ExpiresAt });
        });
    }
}
