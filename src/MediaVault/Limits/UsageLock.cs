namespace MediaVault.Limits;

/// <summary>One row per user that every quota check updates first, inside its transaction: checks of the
/// same user wait for each other (a row lock on PostgreSQL, the write lock on SQLite), so two uploads
/// never both take the last file. Usage itself is counted from the rows that hold it (images and uploads),
/// so no delete path has a counter to keep right, and users from before quotas need no back-fill.</summary>
public sealed class UsageLock
{
    public required string UserId { get; set; }
    public long Version { get; set; }
}
