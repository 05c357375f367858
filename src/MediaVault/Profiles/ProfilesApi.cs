using MediaVault.Auth;
using MediaVault.Data;
using MediaVault.Images;
using MediaVault.Infrastructure;
using MediaVault.Uploads;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MediaVault.Profiles;

internal static class ProfilesApi
{
    private const int MaxJsonBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapProfiles(this IEndpointRouteBuilder app)
    {
        var profile = app.MapApiGroup("/profile").WithTags("Profiles");
        profile.MapGet("/", GetProfile).WithName(nameof(GetProfile)).WithSummary("The caller's profile (nulls before the first save).");
        profile.MapPut("/", PutProfile).WithName(nameof(PutProfile))
            .WithSummary("Saves the display name and/or the picture (a key from POST /profile/picture; null clears it).")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxJsonBytes))
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        profile.MapPost("/picture", UploadPicture).WithName(nameof(UploadPicture)).RequireRateLimiting(Limits.RateLimitSetup.UploadsPerUser)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Uploads a profile picture (multipart/form-data, field 'file') for a preview; PUT /profile saves it.")
            .Accepts<IFormFile>("multipart/form-data")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        app.MapApiGroup("/community").WithTags("Profiles").RequireRateLimiting(Limits.RateLimitSetup.SignedUrlsPerUser)
            .MapGet("/", GetCommunity).WithName(nameof(GetCommunity)).WithSummary("Every user's display name and picture, with fresh URLs.");
        return app;
    }

    private static async Task<Ok<ProfileDto>> GetProfile(HttpContext http, ProfileStore profiles, CancellationToken ct) =>
        TypedResults.Ok(await profiles.ReadAsync(http.User.UserId(), ct));

    private static async Task<Results<Ok<ProfileDto>, ValidationProblem>> PutProfile(
        UpdateProfileRequest request, HttpContext http, ProfileStore profiles, CancellationToken ct)
    {
        var name = request.DisplayName.Value?.Trim();
        if (name?.Length > Profile.MaxDisplayName)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["displayName"] = [$"At most {Profile.MaxDisplayName} characters."] });
        if (name is not null && Products.ProductFields.HasControlCharacters(name, newlines: false))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["displayName"] = ["No control characters (line breaks, NUL, ...)."] });
        if (request.PictureKey.Value is { Length: > 2048 })
            return NotAPicture(profiles.Collection);
        var saved = await profiles.UpdateAsync(http.User.UserId(), string.IsNullOrEmpty(name) ? null : name, request, ct);
        return saved is null ? NotAPicture(profiles.Collection) : TypedResults.Ok(saved);
    }

    private static ValidationProblem NotAPicture(string collection) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]>
        {
            ["pictureKey"] = [$"Not the key of a picture you uploaded to '{collection}' (POST /profile/picture)."],
        });

    private static async Task<Results<Created<PicturePreview>, ProblemHttpResult, ValidationProblem>> UploadPicture(
        HttpContext http, ImageIngest ingest, ImageUrls urls, ProfileStore profiles, IOptions<MediaOptions> media, CancellationToken ct)
    {
        var collection = media.Value.Find(profiles.Collection)!;
        var (reader, refused) = MultipartForm.Open(http, collection.MaxBytes + MultipartForm.Overhead, "file");
        if (refused is not null) return refused;
        try
        {
            while (await MultipartForm.NextAsync(reader!, ct) is { } part)
            {
                if (part.Name != "file")
                {
                    if (await MultipartForm.ReadFieldAsync(part, ct) is null)
                        return MultipartForm.Malformed($"Form field '{part.Name}' is longer than {MultipartForm.MaxFieldBytes} bytes.");
                    continue;
                }
                var outcome = await ingest.IngestStreamAsync(http.User.UserId(), profiles.Collection, collection, part.FileName, part.ContentType,
                    part.Body, c => OnlyOneFileAsync(reader!, c), ct, profiles.PreviewUntil());
                if (outcome.Rejection is { } r) return r.ToProblem();
                var url = urls.For(outcome.Image!);
                return TypedResults.Created($"/images/{outcome.Image!.Id}", new PicturePreview(outcome.Image.Key, url.Url, url.ExpiresAt));
            }
        }
        catch (Exception e) when (e is MalformedBodyException or InvalidDataException or FormLimitException)
        {
            return MultipartForm.Refused(e);
        }
        return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["The form has no 'file' field."] });
    }

    private static async Task<Rejection?> OnlyOneFileAsync(Microsoft.AspNetCore.WebUtilities.MultipartReader reader, CancellationToken ct)
    {
        while (await MultipartForm.NextAsync(reader, ct) is { } part)
        {
            if (part.Name == "file") return new Rejection(StatusCodes.Status400BadRequest, "Malformed multipart body", "Send one picture per request.");
            if (await MultipartForm.ReadFieldAsync(part, ct) is null)
                return new Rejection(StatusCodes.Status400BadRequest, "Malformed multipart body", $"Form field '{part.Name}' is longer than {MultipartForm.MaxFieldBytes} bytes.");
        }
        return null;
    }

    private static async Task<Results<Ok<CommunityPage>, ValidationProblem>> GetCommunity(
        MediaVaultDb db, ProfileStore profiles, string? cursor, int? limit, CancellationToken ct)
    {
        var size = limit ?? 50;
        if (size is < 1 or > 100)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["Must be between 1 and 100."] });
        string? after = null;
        if (cursor is not null && (after = PageCursor.DecodeKey(cursor)) is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cursor"] = ["Not a cursor this service handed out."] });
        var users = db.Users.AsNoTracking();
        if (after is not null) users = users.Where(u => string.Compare(u.Id, after) > 0);
        var page = await (
            from u in users
            join p in db.Profiles on u.Id equals p.UserId into joined
            from p in joined.DefaultIfEmpty()
            orderby u.Id
            select new { u.Id, DisplayName = p == null ? null : p.DisplayName, PictureKey = p == null ? null : p.PictureKey })
            .Take(size + 1).ToListAsync(ct);
        var next = page.Count > size ? PageCursor.EncodeText(page[size - 1].Id) : null;
        var shown = page.Take(size).ToList();
        var pictures = await profiles.PictureUrlsAsync(shown.Select(m => m.PictureKey), ct);
        return TypedResults.Ok(new CommunityPage(shown.Select(m =>
        {
            if (m.PictureKey is null || !pictures.TryGetValue(m.PictureKey, out var picture)) return new CommunityMember(m.Id, m.DisplayName, null, null);
            return new CommunityMember(m.Id, m.DisplayName, picture.Url, picture.ExpiresAt);
        }).ToList(), next));
    }
}

internal static class ProfilesSetup
{
    public static WebApplicationBuilder AddProfiles(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProfilesOptions>().BindConfiguration(ProfilesOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ProfilesOptions>, ValidateProfilesOptions>();
        builder.Services.AddScoped<ProfileStore>();
        return builder;
    }
}
