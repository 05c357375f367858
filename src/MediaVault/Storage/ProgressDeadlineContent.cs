using System.Net;

namespace MediaVault.Storage;

/// <summary>A request body sent in slices; each slice that leaves pushes the deadline back, so a slow
/// but moving upload lives on and a stalled one is cancelled after one <c>timeout</c> of no progress.</summary>
internal sealed class ProgressDeadlineContent(byte[] buffer, int count, CancellationTokenSource deadline, TimeSpan timeout) : HttpContent
{
    private const int Slice = 256 * 1024;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken ct)
    {
        for (var offset = 0; offset < count; offset += Slice)
        {
            await stream.WriteAsync(buffer.AsMemory(offset, Math.Min(Slice, count - offset)), ct);
            deadline.CancelAfter(timeout);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = count;
        return true;
    }
}
