namespace MediaVault.Uploads;

public enum UploadState { Pending = 0, Processing = 1, Completed = 2, Rejected = 3 }

/// <summary>A direct upload handed out by presign-upload: pending until the client registers it,
/// then verified and either completed (an <see cref="Images.Image"/> exists) or rejected.</summary>
public sealed class Upload
{
    public Guid Id { get; set; }
    public required string OwnerId { get; set; }
    public required string Collection { get; set; }
    public required string StagingKey { get; set; }
    /// <summary>Chosen up front, so every retry of a completion lands on the same image and key.</summary>
    public Guid ImageId { get; set; }
    public required string Filename { get; set; }
    public required string DeclaredType { get; set; }
    public long DeclaredSize { get; set; }
    public required string Method { get; set; }
    public UploadState State { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? ClaimedAt { get; set; }
    /// <summary>The staging key was cleared after the URL expired (a client may re-upload to it until then).</summary>
    public bool StagingSwept { get; set; }
}
