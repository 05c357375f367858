using MediaVault.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Design.Internal;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: dotnet run --project tools/Migrator -- <MigrationName>");
    return 2;
}
var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/MediaVault"));
var options = new DbContextOptionsBuilder<MediaVaultDb>().UseSqlite("Data Source=:memory:").Options;
using var db = new MediaVaultDb(options);
var assembly = typeof(MediaVaultDb).Assembly;
var reporter = new Reporter();
var services = new DesignTimeServicesBuilder(assembly, assembly, reporter, []).Build(db);
var scaffolder = services.GetRequiredService<IMigrationsScaffolder>();
var migration = scaffolder.ScaffoldMigration(args[0], "MediaVault", "Data.Migrations", "C#");
var files = scaffolder.Save(root, migration, Path.Combine(root, "Data", "Migrations"));
Console.WriteLine($"wrote {files.MigrationFile}\nwrote {files.MetadataFile}\nwrote {files.SnapshotFile}");
return 0;

internal sealed class Reporter : IOperationReporter
{
    public void WriteError(string message) => Console.Error.WriteLine(message);
    public void WriteWarning(string message) => Console.Error.WriteLine(message);
    public void WriteInformation(string message) => Console.WriteLine(message);
    public void WriteVerbose(string message) { }
}
