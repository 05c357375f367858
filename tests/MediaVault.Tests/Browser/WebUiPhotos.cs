using Microsoft.Playwright;
using NetVips;

namespace MediaVault.Tests.Browser;

/// <summary>Real photos-to-be for the UI tests: noise in a colour of its own, so each file is a few
/// tens of kilobytes (progress is visible on a throttled link) and each is told apart in screenshots.</summary>
public static class WebUiPhotos
{
    private static readonly Dictionary<string, double[]> Colours = new()
    {
        ["red"] = [200, 50, 40], ["orange"] = [230, 130, 30], ["yellow"] = [225, 190, 40], ["green"] = [50, 160, 70],
        ["teal"] = [30, 150, 150], ["blue"] = [40, 90, 200], ["purple"] = [130, 60, 180], ["pink"] = [220, 90, 160],
        ["grey"] = [120, 120, 120], ["brown"] = [130, 80, 40],
    };

    /// <summary>A file named like "red.jpg": its colour is the name, its format the extension.</summary>
    public static FilePayload Make(string fileName, int width = 480, int height = 360)
    {
        var colour = Colours[Path.GetFileNameWithoutExtension(fileName)];
        var extension = Path.GetExtension(fileName);
        using var noise = Image.Gaussnoise(width, height, mean: 0, sigma: 45);
        using var bands = noise.Bandjoin(noise, noise);
        using var tinted = (bands + colour).Cast(Enums.BandFormat.Uchar);
        var mime = extension switch { ".jpg" => "image/jpeg", ".png" => "image/png", ".gif" => "image/gif", ".webp" => "image/webp", _ => throw new ArgumentException(fileName) };
        return new FilePayload { Name = fileName, MimeType = mime, Buffer = tinted.WriteToBuffer(extension) };
    }
}
