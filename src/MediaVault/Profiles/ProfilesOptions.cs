using MediaVault.Images;
using Microsoft.Extensions.Options;

namespace MediaVault.Profiles;

public sealed class ProfilesOptions
{
    public const string Section = "Profiles";

    /// <summary>The collection profile pictures are uploaded to.</summary>
    public string Collection { get; set; } = MediaOptions.AvatarsCollection;

    /// <summary>How long a picture uploaded for a preview waits to be saved to the profile before clean-up deletes it.</summary>
    public TimeSpan PreviewLifetime { get; set; } = TimeSpan.FromDays(1);
}

internal sealed class ValidateProfilesOptions(IOptions<MediaOptions> media) : IValidateOptions<ProfilesOptions>
{
    public ValidateOptionsResult Validate(string? name, ProfilesOptions options)
    {
        var errors = new List<string>();
        if (MediaOptions.NamesIfValid(media) is { } names && !names.Contains(options.Collection))
            errors.Add($"Profiles:Collection '{options.Collection}' is not one of Media:Collections ({string.Join(", ", names)}).");
        if (options.PreviewLifetime < TimeSpan.FromMinutes(1) || options.PreviewLifetime > TimeSpan.FromDays(30))
            errors.Add("Profiles:PreviewLifetime must be between 00:01:00 and 30.00:00:00.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
