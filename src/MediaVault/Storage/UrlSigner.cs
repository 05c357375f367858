using System.Security.Cryptography;
using System.Text;

namespace MediaVault.Storage;

/// <summary>HMAC-SHA256 signatures for the local store's URLs, checked in constant time.</summary>
public sealed class UrlSigner(byte[] key)
{
    public string Sign(string method, string key, long expires, string? contentType, string? contentDisposition) =>
        Convert.ToHexStringLower(Mac(StringToSign(method, key, expires, contentType, contentDisposition)));

    public bool Verify(string method, string key, long expires, string? contentType, string? contentDisposition, string? signature) =>
        Verify(StringToSign(method, key, expires, contentType, contentDisposition), signature);

    public string SignPolicy(string policy) => Convert.ToHexStringLower(Mac("POST\n" + policy));

    public bool VerifyPolicy(string policy, string? signature) => Verify("POST\n" + policy, signature);

    private bool Verify(string stringToSign, string? signature)
    {
        // Exactly the form we hand out (lowercase hex): any other spelling is a different URL.
        if (signature is not { Length: 64 } || signature.AsSpan().ContainsAnyInRange('A', 'F')) return false;
        Span<byte> given = stackalloc byte[32];
        if (Convert.FromHexString(signature, given, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
            return false;
        return CryptographicOperations.FixedTimeEquals(Mac(stringToSign), given);
    }

    // Newlines separate the parts, and none of them can hold one (keys are checked, header values cannot).
    private static string StringToSign(string method, string key, long expires, string? contentType, string? contentDisposition) =>
        $"{method}\n{key}\n{expires}\n{contentType}\n{contentDisposition}";

    private byte[] Mac(string value) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(value));
}
