namespace MediaVault.Accounts;

/// <summary>An account being deleted: written (with the user row gone) before anything the user stored is
/// removed, so a deletion that dies half-way is finished by clean-up. Kept for <see cref="AccountPurge.Retention"/>
/// so that what a request still in flight (or a token still alive) adds after the deletion goes too.</summary>
public sealed class AccountDeletion
{
    public required string UserId { get; set; }
    public DateTime RequestedAt { get; set; }
}
