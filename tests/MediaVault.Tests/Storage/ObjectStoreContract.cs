using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using MediaVault.Storage;
using MediaVault.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaVault.Tests.Storage;

/// <summary>
/// What every <see cref="IObjectStore"/> does, run against each real implementation (the shape of
/// Squidex's AssetStoreTests). A subclass shares one app per class; every test makes its own keys.
/// </summary>
public abstract partial class ObjectStoreContract(MediaVaultApplication app)
{
    // A plain client: presigned URLs must work for a stranger with nothing but the URL.
    private static readonly HttpClient Http = new();
    protected static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    protected IObjectStore Store { get; } = app.Services.GetRequiredService<IObjectStore>();

    /// <summary>A presign lifetime that <see cref="WaitPastAsync"/> can outlive quickly.</summary>
    protected abstract TimeSpan ShortLifetime { get; }

    /// <summary>Moves whatever clock the store's URLs are checked against past <paramref name="expiresAt"/>.</summary>
    protected abstract Task WaitPastAsync(DateTimeOffset expiresAt);

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected static string NewKey() => $"contract/{Guid.NewGuid():N}.bin";

    protected static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private async Task<string> PutAsync(byte[] content, string contentType = "image/png")
    {
        var key = NewKey();
        await Store.PutAsync(key, new OneWayStream(content), contentType, Ct);
        return key;
    }

    private async Task<byte[]?> ReadAsync(string key, ByteRange? range = null)
    {
        await using var content = await Store.GetAsync(key, range, Ct);
        if (content is null) return null;
        using var buffer = new MemoryStream();
        await content.Body.CopyToAsync(buffer, Ct);
        return buffer.ToArray();
    }

    private static Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, byte[]? body = null,
        string? contentType = null, RangeHeaderValue? range = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = new ByteArrayContent(body);
        if (contentType is not null) request.Content!.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Range = range;
        return Http.SendAsync(request, Ct);
    }

    /// <summary>Sends a browser form: the policy's fields (some replaced), then the file last, as S3 requires.</summary>
    protected static async Task<HttpResponseMessage> SendFormAsync(PresignedPost post, byte[] file,
        IReadOnlyDictionary<string, string>? replace = null)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, value) in post.Fields) form.Add(new StringContent(replace?.GetValueOrDefault(name) ?? value), name);
        form.Add(new ByteArrayContent(file), "file", "upload.bin");
        return await Http.PostAsync(post.Url, form, Ct);
    }

    /// <summary>Flips the last hex digit of the signature (X-Signature locally, X-Amz-Signature on S3).</summary>
    private static Uri TamperSignature(Uri url)
    {
        var tampered = Regex.Replace(url.AbsoluteUri, "(?i)(signature=[0-9a-f]*)([0-9a-f])(?=&|$)",
            m => m.Groups[1].Value + (m.Groups[2].Value == "0" ? "1" : "0"));
        Assert.NotEqual(url.AbsoluteUri, tampered);
        return new Uri(tampered);
    }
}
