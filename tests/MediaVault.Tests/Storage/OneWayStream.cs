namespace MediaVault.Tests.Storage;

/// <summary>
/// A forward-only stream of unknown length, like a request body: no Length, no Seek, reads of odd sizes.
/// With <paramref name="failAfter"/> it hands out that many bytes, then the next read throws.
/// </summary>
internal sealed class OneWayStream(byte[] data, long failAfter = long.MaxValue) : Stream
{
    private const int MaxRead = 100_003;
    private int _position;

    public override int Read(Span<byte> buffer)
    {
        if (_position >= failAfter) throw new IOException("The source failed midway.");
        var count = (int)Math.Min(Math.Min(buffer.Length, MaxRead), Math.Min(data.Length, failAfter) - _position);
        data.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
