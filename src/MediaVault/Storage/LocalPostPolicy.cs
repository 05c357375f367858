using System.Buffers.Text;
using System.Text.Json;

namespace MediaVault.Storage;

/// <summary>What a local pre-signed POST allows: one key, one Content-Type, 1..MaxBytes bytes, until Expires.</summary>
public sealed record LocalPostPolicy(string Key, string ContentType, long MaxBytes, long Expires)
{
    public static string Encode(LocalPostPolicy policy) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(policy));

    public static LocalPostPolicy? Decode(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 4096) return null;
        try { return JsonSerializer.Deserialize<LocalPostPolicy>(Base64Url.DecodeFromChars(value)); }
        catch (Exception e) when (e is FormatException or JsonException) { return null; }
    }
}
