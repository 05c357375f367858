using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace MediaVault.Bench.Harness;

public sealed record ImageDto(Guid Id, string Key, string Filename, string ContentType, long Size, int Width, int Height,
    string Collection, DateTimeOffset CreatedAt, string Url, DateTimeOffset? UrlExpiresAt);

public sealed record PresignResponse(Guid UploadId, string Key, string Method, string Url,
    Dictionary<string, string> Headers, Dictionary<string, string> Fields, DateTimeOffset ExpiresAt);

public sealed record ImagePage(List<ImageDto> Items, string? NextCursor);

/// <summary>One registered user's view of the API, over keep-alive loopback connections.</summary>
public sealed class MediaVaultClient : IDisposable
{
    public const string Password = "Bench-Passw0rd!";

    private MediaVaultClient(HttpClient api) => Api = api;

    /// <summary>Carries the user's bearer token; for the service's own endpoints only.</summary>
    public HttpClient Api { get; }

    /// <summary>No credentials: for signed storage URLs, which must not see the API token.</summary>
    public HttpClient Storage { get; } = NewHttpClient(null);

    public static HttpClient NewHttpClient(Uri? baseUrl) => new(new SocketsHttpHandler
    {
        UseProxy = false, // loopback only, whatever the environment's proxy says
        MaxConnectionsPerServer = int.MaxValue,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    })
    { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(15) };

    public static Task<MediaVaultClient> NewUserAsync(Uri baseUrl, string tag) => NewUserAsync(baseUrl, baseUrl, tag);

    /// <summary>Registers through one instance and logs in through another: accounts and token keys are in the shared database.</summary>
    public static async Task<MediaVaultClient> NewUserAsync(Uri registerOn, Uri baseUrl, string tag)
    {
        var email = $"bench-{tag}-{Guid.NewGuid():N}@example.com";
        var api = NewHttpClient(baseUrl);
        using (var registrar = NewHttpClient(registerOn))
            await Check(await registrar.PostAsJsonAsync("/auth/register", new { email, password = Password }));
        var login = await Check(await api.PostAsJsonAsync("/auth/login", new { email, password = Password }));
        var token = (await login.Content.ReadFromJsonAsync<LoginResponse>())!.AccessToken;
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new MediaVaultClient(api);
    }

    private sealed record LoginResponse(string AccessToken);

    /// <summary>The same user, with the same token, on another instance of the app.</summary>
    public MediaVaultClient On(Uri baseUrl)
    {
        var api = NewHttpClient(baseUrl);
        api.DefaultRequestHeaders.Authorization = Api.DefaultRequestHeaders.Authorization;
        return new MediaVaultClient(api);
    }

    public async Task<ImageDto> UploadProxiedAsync(HttpContent file, string fileName, string? collection, CancellationToken ct = default)
    {
        file.Headers.ContentType = new MediaTypeHeaderValue(Payloads.ContentType);
        using var form = new MultipartFormDataContent { { file, "file", fileName } };
        var url = collection is null ? "/images/upload" : $"/images/upload?collection={collection}";
        return await ReadImage(await Api.PostAsync(url, form, ct), ct);
    }

    public async Task<PresignResponse> PresignAsync(string fileName, long size, string? collection, string method = "PUT", CancellationToken ct = default)
    {
        var response = await Check(await Api.PostAsJsonAsync("/images/presign-upload",
            new { filename = fileName, filetype = Payloads.ContentType, size, collection, method }, ct));
        return (await response.Content.ReadFromJsonAsync<PresignResponse>(ct))!;
    }

    /// <summary>PUT to the pre-signed URL with exactly the headers it was signed with.</summary>
    public async Task PutAsync(PresignResponse presign, HttpContent body, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, presign.Url) { Content = body };
        foreach (var (name, value) in presign.Headers)
            if (!body.Headers.TryAddWithoutValidation(name, value)) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await Check(await Storage.SendAsync(request, ct));
    }

    /// <summary>Browser-form POST: every field of the policy, then the file last.</summary>
    public async Task PostFormAsync(PresignResponse presign, byte[] body, string fileName, CancellationToken ct = default)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, value) in presign.Fields)
        {
            var field = new StringContent(value);
            field.Headers.ContentType = null;
            form.Add(field, name);
        }
        var file = new ByteArrayContent(body);
        file.Headers.ContentType = new MediaTypeHeaderValue(Payloads.ContentType);
        form.Add(file, "file", fileName);
        using var response = await Check(await Storage.PostAsync(presign.Url, form, ct));
    }

    public async Task<ImageDto> RegisterAsync(PresignResponse presign, string fileName, CancellationToken ct = default) =>
        await ReadImage(await Api.PostAsJsonAsync("/images", new { uploadId = presign.UploadId, filename = fileName, filetype = Payloads.ContentType }, ct), ct);

    /// <summary>One page of the user's images, newest first; <paramref name="cursor"/> is the last page's <c>nextCursor</c>.</summary>
    public async Task<ImagePage> ListAsync(int limit, string? cursor, CancellationToken ct = default)
    {
        var url = cursor is null ? $"/images?limit={limit}" : $"/images?limit={limit}&cursor={Uri.EscapeDataString(cursor)}";
        using var response = await Check(await Api.GetAsync(url, ct));
        return (await response.Content.ReadFromJsonAsync<ImagePage>(ct))!;
    }

    public async Task DeleteAsync(Guid id, CancellationToken ct = default)
    {
        using var response = await Check(await Api.DeleteAsync($"/images/{id}", ct));
    }

    public async Task<byte[]> DownloadAsync(string url, CancellationToken ct = default)
    {
        using var response = await Check(await Storage.GetAsync(url, ct));
        return await response.Content.ReadAsByteArrayAsync(ct);
    }

    private static async Task<ImageDto> ReadImage(HttpResponseMessage response, CancellationToken ct)
    {
        using (response)
        {
            await Check(response);
            return (await response.Content.ReadFromJsonAsync<ImageDto>(ct))!;
        }
    }

    /// <summary>The response when it succeeded; otherwise an exception carrying its status and body.</summary>
    public static async Task<HttpResponseMessage> Check(HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode) return response;
        var body = await response.Content.ReadAsStringAsync();
        response.Dispose();
        throw new HttpRequestException($"{(int)response.StatusCode} from {response.RequestMessage?.Method} " +
            $"{response.RequestMessage?.RequestUri?.GetLeftPart(UriPartial.Path)}: {body[..Math.Min(body.Length, 300)]}");
    }

    public void Dispose()
    {
        Api.Dispose();
        Storage.Dispose();
    }
}
