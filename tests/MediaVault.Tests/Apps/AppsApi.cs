using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Apps;

public sealed record ProductDto(
    Guid Id, string OwnerId, string Name, string? Description, decimal? Price, List<ImageDto> Images,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record ProductPage(List<ProductDto> Items, string? NextCursor);

public sealed record PicturePreview(string Key, string Url, DateTimeOffset ExpiresAt);

public sealed record ProfileDto(string UserId, string? DisplayName, string? PictureKey, string? PictureUrl, DateTimeOffset? PictureUrlExpiresAt);

public sealed record MemberDto(string UserId, string? DisplayName, string? PictureUrl, DateTimeOffset? PictureUrlExpiresAt);

public sealed record MemberPage(List<MemberDto> Items, string? NextCursor);

public sealed record ValidationProblemDto(int? Status, string? Title, string? Detail, Dictionary<string, string[]>? Errors);

/// <summary>A file part of a multipart request: its bytes, its name and the type the client declares.</summary>
public sealed record FilePart(byte[] Content, string FileName = "photo.png", string? ContentType = "image/png");

/// <summary>The client side of the product and profile flows, written from the issue 10 contract.</summary>
public static class AppsApi
{
    public static async Task<ProductDto> CreateProductOkAsync(this HttpClient client, string name = "Lamp", IEnumerable<Guid>? imageIds = null,
        string? description = null, decimal? price = null)
    {
        var response = await client.PostAsJsonAsync("/products", new { name, description, price, imageIds = (imageIds ?? []).ToArray() });
        await response.ShouldBe(HttpStatusCode.Created);
        var product = (await response.Content.ReadFromJsonAsync<ProductDto>())!;
        Assert.EndsWith($"/products/{product.Id}", response.Headers.Location?.OriginalString);
        return product;
    }

    /// <summary>A JSON body sent exactly as written, so "absent" and "null" stay distinct.</summary>
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static string Ids(params IEnumerable<Guid> ids) => "[" + string.Join(",", ids.Select(i => $"\"{i}\"")) + "]";

    public static MultipartFormDataContent ProductForm(string? name, IEnumerable<FilePart> files, string? description = null, string? price = null)
    {
        var form = new MultipartFormDataContent();
        if (name is not null) form.Add(new StringContent(name), "name");
        if (description is not null) form.Add(new StringContent(description), "description");
        if (price is not null) form.Add(new StringContent(price), "price");
        foreach (var file in files)
        {
            var part = new ByteArrayContent(file.Content);
            if (file.ContentType is not null) part.Headers.ContentType = MediaTypeHeaderValue.Parse(file.ContentType);
            form.Add(part, "images", file.FileName);
        }
        return form;
    }

    public static Task<HttpResponseMessage> CreateProductMultipartAsync(this HttpClient client, string? name, IEnumerable<FilePart> files,
        string? description = null, string? price = null) =>
        client.PostAsync("/products", ProductForm(name, files, description, price));

    /// <summary>Every product, all pages (limit 100), in the order the API lists them.</summary>
    public static async Task<List<ProductDto>> AllProductsAsync(this HttpClient client)
    {
        var all = new List<ProductDto>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonOk<ProductPage>("/products?limit=100" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        } while (cursor is not null);
        return all;
    }

    public static async Task<List<MemberDto>> AllMembersAsync(this HttpClient client)
    {
        var all = new List<MemberDto>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonOk<MemberPage>("/community?limit=100" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        } while (cursor is not null);
        return all;
    }

    public static async Task<HttpResponseMessage> UploadPictureAsync(this HttpClient client, byte[] content, string fileName = "me.png",
        string? contentType = "image/png")
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        if (contentType is not null) file.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        form.Add(file, "file", fileName);
        return await client.PostAsync("/profile/picture", form);
    }

    public static async Task<PicturePreview> UploadPictureOkAsync(this HttpClient client, byte[] content, string fileName = "me.png",
        string? contentType = "image/png")
    {
        var response = await client.UploadPictureAsync(content, fileName, contentType);
        await response.ShouldBe(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<PicturePreview>())!;
    }

    public static Task<HttpResponseMessage> PutProfileAsync(this HttpClient client, string json) => client.PutAsync("/profile", Json(json));

    public static async Task<ProfileDto> PutProfileOkAsync(this HttpClient client, string json)
    {
        var response = await client.PutProfileAsync(json);
        await response.ShouldBe(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<ProfileDto>())!;
    }

    /// <summary>Asserts a 400 validation problem whose errors name <paramref name="field"/>, and returns its messages.</summary>
    public static async Task<string> ShouldBeValidationProblem(this HttpResponseMessage response, string field)
    {
        await response.ShouldBe(HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<ValidationProblemDto>(await response.Content.ReadAsStringAsync(), JsonSerializerOptions.Web)!;
        Assert.Equal(400, problem.Status);
        Assert.True(problem.Errors?.ContainsKey(field) == true,
            $"expected errors.{field} but got {JsonSerializer.Serialize(problem.Errors)} ({problem.Detail})");
        return string.Join(" ", problem.Errors![field]);
    }

    /// <summary>Strips what changes on every read (the signed URL and its expiry), to compare images across reads.</summary>
    public static ImageDto Stable(this ImageDto image) => image with { Url = "", UrlExpiresAt = null };

    /// <summary>Asserts two reads of a product say the same (records compare lists by reference, so images apart).</summary>
    public static void AssertSameProduct(ProductDto expected, ProductDto actual)
    {
        Assert.Equal(expected with { Images = null! }, actual with { Images = null! });
        Assert.Equal(expected.Images.Select(Stable), actual.Images.Select(Stable));
    }
}
