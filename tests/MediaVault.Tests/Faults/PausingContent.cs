using System.Net;

namespace MediaVault.Tests.Faults;

/// <summary>A request body that sends its first <c>pauseAfter</c> bytes, then waits for <see cref="Resume"/>:
/// an upload caught in flight while a test breaks something.</summary>
public sealed class PausingContent(byte[] body, int pauseAfter, string contentType) : HttpContent
{
    private readonly TaskCompletionSource _paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _resume = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Paused => _paused.Task;

    public void Resume() => _resume.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(body.AsMemory(0, pauseAfter));
        await stream.FlushAsync();
        _paused.TrySetResult();
        await _resume.Task;
        await stream.WriteAsync(body.AsMemory(pauseAfter));
    }

    protected override bool TryComputeLength(out long length)
    {
        Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        length = body.Length;
        return true;
    }

    /// <summary>A multipart/form-data body with one file field, as bytes, and its content type.</summary>
    public static async Task<(byte[] Body, string ContentType)> FormAsync(byte[] file, string fileName = "photo.png")
    {
        using var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new("image/png");
        form.Add(part, "file", fileName);
        return (await form.ReadAsByteArrayAsync(), form.Headers.ContentType!.ToString());
    }
}
