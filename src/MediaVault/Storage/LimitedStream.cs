namespace MediaVault.Storage;

/// <summary>Counts bytes as they are read and fails the read that crosses <paramref name="maxBytes"/>
/// (or reaches the end below <paramref name="minBytes"/>), so a store never commits such an object.</summary>
public sealed class LimitedStream(Stream inner, long maxBytes, long minBytes = 0) : ReadOnlyStream
{
    public long BytesRead { get; private set; }

    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var read = await inner.ReadAsync(buffer, ct);
        return Count(read);
    }

    private int Count(int read)
    {
        BytesRead += read;
        if (BytesRead > maxBytes) throw new ContentLengthException(tooLarge: true, maxBytes);
        if (read == 0 && BytesRead < minBytes) throw new ContentLengthException(tooLarge: false, minBytes);
        return read;
    }
}

public sealed class ContentLengthException(bool tooLarge, long limit)
    : Exception(tooLarge ? $"The content is larger than {limit} bytes." : $"The content is smaller than {limit} bytes.")
{
    public bool TooLarge { get; } = tooLarge;
    public long Limit { get; } = limit;
}
