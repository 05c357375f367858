namespace MediaVault.Data;

public enum DatabaseProviderName { Sqlite, PostgreSQL }

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary><c>Sqlite</c> (the embedded default) or <c>PostgreSQL</c>.</summary>
    public string Provider { get; set; } = nameof(DatabaseProviderName.Sqlite);

    /// <summary>SQLite: a relative file path is under the content root. PostgreSQL: an Npgsql connection string.</summary>
    public string ConnectionString { get; set; } = "Data Source=data/mediavault.db";
}
