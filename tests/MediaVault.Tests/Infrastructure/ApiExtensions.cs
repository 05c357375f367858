using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace MediaVault.Tests.Infrastructure;

public sealed record ImageDto(
    Guid Id, string Key, string Filename, string ContentType, long Size, int Width, int Height,
    string Collection, DateTimeOffset CreatedAt, string Url, DateTimeOffset? UrlExpiresAt);

public sealed record ImagePage(List<ImageDto> Items, string? NextCursor);

public sealed record SignedUrl(string Url, DateTimeOffset? ExpiresAt);

public sealed record PresignResponse(
    Guid UploadId, string Key, string Method, string Url,
    Dictionary<string, string> Headers, Dictionary<string, string> Fields, DateTimeOffset ExpiresAt);

public sealed record Problem(string? Type, string? Title, int? Status, string? Detail);

/// <summary>The client side of each flow, written from the API contract.</summary>
public static class ApiExtensions
{
    private static readonly HttpClient Storage = new();

    public static async Task<HttpResponseMessage> UploadAsync(this HttpClient client, byte[] content, string fileName = "photo.png",
        string? contentType = "image/png", string? collection = null)
    {
        using var form = new MultipartFormDataContent();
        if (collection is not null) form.Add(new StringContent(collection), "collection");
        var file = new ByteArrayContent(content);
        if (contentType is not null) file.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        form.Add(file, "file", fileName);
        return await client.PostAsync("/images/upload", form);
    }

    public static async Task<ImageDto> UploadOkAsync(this HttpClient client, byte[] content, string fileName = "photo.png",
        string? contentType = "image/png", string? collection = null)
    {
        var response = await client.UploadAsync(content, fileName, contentType, collection);
        await response.ShouldBe(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<ImageDto>())!;
    }

    public static async Task<PresignResponse> PresignAsync(this HttpClient client, string filename, string filetype, long size,
        string? collection = null, string? method = null)
    {
        var response = await client.PostAsJsonAsync("/images/presign-upload", new { filename, filetype, size, collection, method });
        await response.ShouldBe(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<PresignResponse>())!;
    }

    /// <summary>Sends the bytes to storage exactly as a browser or S3 client would with the presign answer.</summary>
    public static async Task<HttpResponseMessage> SendToStorageAsync(PresignResponse p, byte[] content, string? contentTypeOverride = null)
    {
        if (p.Method == "PUT")
        {
            var request = new HttpRequestMessage(HttpMethod.Put, p.Url) { Content = new ByteArrayContent(content) };
            foreach (var (name, value) in p.Headers)
                if (!request.Headers.TryAddWithoutValidation(name, value)) request.Content.Headers.TryAddWithoutValidation(name, value);
            if (contentTypeOverride is not null) request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentTypeOverride);
            return await Storage.SendAsync(request);
        }
        using var form = new MultipartFormDataContent();
        foreach (var (name, value) in p.Fields)
            form.Add(new StringContent(name == "Content-Type" && contentTypeOverride is not null ? contentTypeOverride : value), name);
        form.Add(new ByteArrayContent(content), "file", "upload.bin");
        return await Storage.PostAsync(p.Url, form);
    }

    public static Task<HttpResponseMessage> CompleteAsync(this HttpClient client, Guid uploadId, string filename = "photo.png", string filetype = "image/png") =>
        client.PostAsJsonAsync("/images", new { uploadId, filename, filetype });

    public static async Task<ImageDto> DirectUploadOkAsync(this HttpClient client, byte[] content, string filetype = "image/png",
        string method = "PUT", string? collection = null)
    {
        var p = await client.PresignAsync("photo" + Extension(filetype), filetype, content.Length, collection, method);
        var stored = await SendToStorageAsync(p, content);
        Assert.True(stored.IsSuccessStatusCode, $"storage answered {(int)stored.StatusCode}: {await stored.Content.ReadAsStringAsync()}");
        var response = await client.CompleteAsync(p.UploadId, "photo" + Extension(filetype), filetype);
        await response.ShouldBe(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<ImageDto>())!;
    }

    public static Task<HttpResponseMessage> FetchAsync(string url) => Storage.GetAsync(url);

    public static async Task<byte[]> DownloadAsync(string url)
    {
        var response = await Storage.GetAsync(url);
        await response.ShouldBe(HttpStatusCode.OK);
        return await response.Content.ReadAsByteArrayAsync();
    }

    public static async Task ShouldBe(this HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
            Assert.Fail($"Expected {(int)expected} {expected} but got {(int)response.StatusCode} {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Asserts an RFC 9457 problem response with this status.</summary>
    public static async Task<Problem> ShouldBeProblem(this HttpResponseMessage response, HttpStatusCode expected)
    {
        await response.ShouldBe(expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<Problem>(JsonSerializerOptions.Web))!;
        Assert.Equal((int)expected, problem.Status);
        return problem;
    }

    private static string Extension(string type) => type switch
    {
        "image/jpeg" => ".jpg", "image/gif" => ".gif", "image/webp" => ".webp", _ => ".png",
    };
}

public static class JsonClientExtensions
{
    public static async Task<T> GetFromJsonOk<T>(this HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        await response.ShouldBe(System.Net.HttpStatusCode.OK);
        return (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<T>(response.Content))!;
    }
}
