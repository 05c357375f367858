using MediaVault.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Design.Internal;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;

// Each database has its own migrations (column types differ), scaffolded from the one model.
if (args.Length != 2 || !Enum.TryParse<DatabaseProviderName>(args[0], ignoreCase: true, out var provider))
{
    Console.Error.WriteLine("usage: dotnet run --project tools/Migrator -- Sqlite|PostgreSQL <MigrationName>");
    return 2;
}
var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/MediaVault"));
using MediaVaultDb db = provider == DatabaseProviderName.PostgreSQL
    ? new PostgresMediaVaultDb(new DbContextOptionsBuilder<PostgresMediaVaultDb>().UseNpgsql("Host=localhost").Options)
    : new SqliteMediaVaultDb(new DbContextOptionsBuilder<SqliteMediaVaultDb>().UseSqlite("Data Source=:memory:").Options);
var assembly = typeof(MediaVaultDb).Assembly;
var reporter = new Reporter();
var services = new DesignTimeServicesBuilder(assembly, assembly, reporter, []).Build(db);
var scaffolder = services.GetRequiredService<IMigrationsScaffolder>();
var ns = $"Data.Migrations.{provider}";
var migration = scaffolder.ScaffoldMigration(args[1], "MediaVault", ns, "C#");
var files = scaffolder.Save(root, migration, Path.Combine(root, "Data", "Migrations", provider.ToString()));
Console.WriteLine($"wrote {files.MigrationFile}\nwrote {files.MetadataFile}\nwrote {files.SnapshotFile}");
return 0;

internal sealed class Reporter : IOperationReporter
{
    public void WriteError(string message) => Console.Error.WriteLine(message);
    public void WriteWarning(string message) => Console.Error.WriteLine(message);
    public void WriteInformation(string message) => Console.WriteLine(message);
    public void WriteVerbose(string message) { }
}
