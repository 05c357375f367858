namespace MediaVault.Storage;

/// <summary>Reads at most <paramref name="length"/> bytes of an inner stream from its current position.</summary>
internal sealed class SubStream(Stream inner, long length) : ReadOnlyStream
{
    private long _remaining = length;

    public override long Length { get; } = length;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (_remaining <= 0) return 0;
        var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _remaining)], ct);
        _remaining -= read;
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();
}
