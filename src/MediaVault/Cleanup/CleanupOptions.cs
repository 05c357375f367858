using System.ComponentModel.DataAnnotations;

namespace MediaVault.Cleanup;

public sealed class CleanupOptions
{
    public const string Section = "Cleanup";

    /// <summary>How often each instance sweeps expired uploads and interrupted writes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Cleanup:Interval must be between 1 second and 1 day.")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often storage is compared with the database (it lists every object); zero turns it off.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00", ErrorMessage = "Cleanup:AuditInterval must be between 0 (off) and 30 days.")]
    public TimeSpan AuditInterval { get; set; } = TimeSpan.FromDays(1);
}
