namespace MediaVault.Images;

/// <summary>A verified, served image. <see cref="Key"/> is an object key (or, for legacy rows, a full
/// http(s) URL that is passed through); never a signed URL.</summary>
public sealed class Image
{
    public Guid Id { get; set; }
    public required string OwnerId { get; set; }
    public required string Collection { get; set; }
    public required string Key { get; set; }
    public required string Filename { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>The product the image is on, if any, and its place there.</summary>
    public Guid? ProductId { get; set; }
    public int Position { get; set; }
    /// <summary>Set while the image waits for what it was uploaded for (a profile picture not saved yet, a
    /// product whose request has not finished): clean-up deletes it after this time unless it was taken.</summary>
    public DateTime? PendingUntil { get; set; }

    /// <summary>A creation time both databases store exactly (PostgreSQL keeps microseconds, .NET ticks
    /// are tenths of them), so the image a create returns equals the one a read returns.</summary>
    public static DateTime Timestamp(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return new DateTime(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);
    }

    public bool IsLegacyUrl =>
        Key.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || Key.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
}

public sealed record ImageDto(
    Guid Id, string Key, string Filename, string ContentType, long Size, int Width, int Height,
    string Collection, DateTimeOffset CreatedAt, string Url, DateTimeOffset? UrlExpiresAt);

public sealed record SignedUrlDto(string Url, DateTimeOffset? ExpiresAt);
