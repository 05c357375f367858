using System.ComponentModel.DataAnnotations;

namespace MediaVault.Limits;

/// <summary>The <c>Quotas</c> section: what one user may keep.</summary>
public sealed class QuotaOptions
{
    public const string Section = "Quotas";

    /// <summary>Images stored (product and profile pictures included).</summary>
    [Range(1, long.MaxValue, ErrorMessage = "Quotas:Files must be at least 1.")]
    public long Files { get; set; } = 10_000;

    /// <summary>Bytes stored, 5 GiB.</summary>
    [Range(1, long.MaxValue, ErrorMessage = "Quotas:Bytes must be at least 1.")]
    public long Bytes { get; set; } = 5L * 1024 * 1024 * 1024;

    /// <summary>Direct uploads handed out and not yet registered (the UI has at most 10 at once).</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Quotas:OutstandingUploads must be at least 1.")]
    public int OutstandingUploads { get; set; } = 100;
}
