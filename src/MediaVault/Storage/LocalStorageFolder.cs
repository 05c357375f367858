using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace MediaVault.Storage;

/// <summary>Where the local store keeps objects, their metadata and its signing key.</summary>
public sealed class LocalStorageFolder
{
    private readonly string _objects;
    private readonly string _meta;
    private readonly string _temp;

    public LocalStorageFolder(IOptions<StorageOptions> options, IHostEnvironment env)
    {
        Root = Path.GetFullPath(Path.Combine(env.ContentRootPath, options.Value.Local.Root));
        _objects = Path.Combine(Root, "objects") + Path.DirectorySeparatorChar;
        _meta = Path.Combine(Root, "meta") + Path.DirectorySeparatorChar;
        _temp = Path.Combine(Root, "tmp");
        Directory.CreateDirectory(_objects);
        Directory.CreateDirectory(_meta);
        Directory.CreateDirectory(_temp);
    }

    public string Root { get; }
    public string ObjectsDirectory => _objects;
    public string TempDirectory => _temp;

    public (string Data, string Meta) PathsOf(string key)
    {
        StorageKeys.Checked(key);
        var data = Path.GetFullPath(Path.Combine(_objects, key));
        var meta = Path.GetFullPath(Path.Combine(_meta, key + ".json"));
        // Belt and braces: the key check already forbids traversal.
        if (!data.StartsWith(_objects, StringComparison.Ordinal) || !meta.StartsWith(_meta, StringComparison.Ordinal))
            throw new ArgumentException("Key escapes the storage folder.", nameof(key));
        return (data, meta);
    }

    public string NewTempPath() => Path.Combine(_temp, Guid.NewGuid().ToString("N"));

    /// <summary>The configured key, or one generated once and kept beside the objects.</summary>
    public byte[] LoadOrCreateSigningKey(string? configured)
    {
        if (!string.IsNullOrEmpty(configured)) return Convert.FromBase64String(configured);
        var path = Path.Combine(Root, "signing.key");
        if (File.Exists(path)) return Convert.FromBase64String(File.ReadAllText(path).Trim());
        var key = RandomNumberGenerator.GetBytes(32);
        var temp = NewTempPath();
        using (var file = new StreamWriter(File.Open(temp, OwnerOnly())))
            file.Write(Convert.ToBase64String(key));
        try
        {
            File.Move(temp, path, overwrite: false);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp); // another instance won the race: use its key
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
    }

    /// <summary>A new file only the app's own user can read (the key signs every local URL).</summary>
    internal static FileStreamOptions OwnerOnly() => OperatingSystem.IsWindows()
        ? new() { Mode = FileMode.CreateNew, Access = FileAccess.Write }
        : new() { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
}
