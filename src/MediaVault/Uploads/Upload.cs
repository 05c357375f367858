using System.Linq.Expressions;

namespace MediaVault.Uploads;

public enum UploadState { Pending = 0, Processing = 1, Completed = 2, Rejected = 3 }

/// <summary>An upload on its way to becoming an image. Direct uploads are handed out by presign-upload:
/// pending until the client registers them, then verified and either completed (an
/// <see cref="Images.Image"/> exists) or rejected. Proxied uploads get a row too, processing from the
/// start, so that every key written is named by a row before it is written: clean-up never guesses.</summary>
public sealed class Upload
{
    /// <summary><see cref="Method"/> of an upload through the server.</summary>
    public const string ProxiedMethod = "PROXY";

    public Guid Id { get; set; }
    public required string OwnerId { get; set; }
    public required string Collection { get; set; }
    /// <summary>Where the client puts the file; null for proxied uploads, which write the final key directly.</summary>
    public string? StagingKey { get; set; }
    /// <summary>The key the image will be served from, known before anything is written there.</summary>
    public string? FinalKey { get; set; }
    /// <summary>Chosen up front, so every retry of a completion lands on the same image and key.</summary>
    public Guid ImageId { get; set; }
    public required string Filename { get; set; }
    public required string DeclaredType { get; set; }
    public long DeclaredSize { get; set; }
    public required string Method { get; set; }
    public UploadState State { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    /// <summary>When the current claim was taken; a claim older than the claim timeout is considered dead.</summary>
    public DateTime? ClaimedAt { get; set; }
    /// <summary>Who holds the claim: a completion or a clean-up run only acts while the token is still its own
    /// (a token, not a time: databases keep times at different precisions and instances' clocks differ).</summary>
    public Guid? ClaimToken { get; set; }
    /// <summary>The staging key was cleared after the URL expired (a client may re-upload to it until then).</summary>
    public bool StagingSwept { get; set; }

    /// <summary>Not held by a live claim of a completion or a clean-up run; or held by <paramref name="token"/>
    /// itself (a retried claim whose first attempt committed unseen). The one rule both take claims by.</summary>
    public static Expression<Func<Upload, bool>> Claimable(DateTime staleBefore, Guid? token = null) =>
        u => u.ClaimToken == null || u.ClaimedAt < staleBefore || u.ClaimToken == token;
}
