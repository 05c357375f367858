using Microsoft.Extensions.Options;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Api;

/// <summary>Wrong configuration stops the service at start-up with a message naming the setting.</summary>
public sealed class StartupTests(RgwServer rgw)
{
    [Theory]
    [InlineData("Media:Collections:images:UrlLifetime", "7.00:00:01", "Media:Collections:images:UrlLifetime")]
    [InlineData("Media:Collections:images:MaxBytes", "0", "Media:Collections:images:MaxBytes")]
    [InlineData("Media:Collections:images:AllowedTypes:0", "image/svg+xml", "Media:Collections:images:AllowedTypes")]
    [InlineData("Media:Collections:Bad_Name:MaxBytes", "10", "Media:Collections:Bad_Name")]
    [InlineData("Storage:UploadUrlLifetime", "02:00:00", "Storage:UploadUrlLifetime")]
    [InlineData("Storage:Local:SigningKey", "c2hvcnQ=", "Storage:Local:SigningKey")]
    [InlineData("Media:MaxPixels", "0", "Media:MaxPixels")]
    [InlineData("Products:Collection", "nosuch", "Products:Collection")]
    [InlineData("Profiles:Collection", "nosuch", "Profiles:Collection")]
    [InlineData("Profiles:PreviewLifetime", "00:00:10", "Profiles:PreviewLifetime")]
    [InlineData("Cors:AllowedOrigins:0", "*", "Cors:AllowedOrigins")]
    [InlineData("Cors:AllowedOrigins:0", "https://app.example.com/path", "Cors:AllowedOrigins")]
    public async Task InvalidSettingStopsStartupNamingIt(string key, string value, string named)
    {
        await using var app = new MediaVaultApplication(StoreKind.Local, rgw, new Dictionary<string, string?> { [key] = value });
        var error = Assert.Throws<OptionsValidationException>(() => { _ = app.Services; });
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public async Task S3WithoutBucketStopsStartup()
    {
        await using var app = new MediaVaultApplication(StoreKind.S3, rgw, new Dictionary<string, string?> { ["Storage:S3:Bucket"] = "" });
        var error = Assert.Throws<OptionsValidationException>(() => { _ = app.Services; });
        Assert.Contains("Storage:S3:Bucket", error.Message);
    }

    [Fact]
    public async Task SevenDayUrlLifetimeIsAccepted()
    {
        await using var app = new MediaVaultApplication(StoreKind.Local, rgw,
            new Dictionary<string, string?> { ["Media:Collections:images:UrlLifetime"] = "7.00:00:00" });
        await app.InitializeAsync();
        using var user = await app.NewUserAsync();
        var image = await user.UploadOkAsync(TestImages.Png());
        // Expiry is carried in whole seconds.
        Assert.InRange(image.UrlExpiresAt!.Value - app.Clock.GetUtcNow(), TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1), TimeSpan.FromDays(7));
    }

    [Fact]
    public async Task UnknownDatabaseProviderStopsStartupNamingIt()
    {
        await using var app = new MediaVaultApplication(StoreKind.Local, rgw, new Dictionary<string, string?> { ["Database:Provider"] = "Oracle" },
            database: DatabaseKind.Sqlite);
        var error = Assert.Throws<OptionsValidationException>(() => { _ = app.Services; });
        Assert.Contains("Database:Provider", error.Message);
    }

    [Fact]
    public async Task UnreachablePostgreSqlStopsStartupNamingTheSettingButNotThePassword()
    {
        await using var app = new MediaVaultApplication(StoreKind.Local, rgw, new Dictionary<string, string?>
        {
            ["Database:Provider"] = "PostgreSQL",
            ["Database:ConnectionString"] = $"Host=127.0.0.1;Port={FailureTests.FreePort()};Username=mv;Password=s3cret-pw;Timeout=3",
        }, database: DatabaseKind.PostgreSQL);
        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await app.InitializeAsync());
        var message = error.ToString();
        Assert.Contains("Database:ConnectionString", message);
        Assert.DoesNotContain("s3cret-pw", message);
    }
}
