using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace MediaVault.Bench.Harness;

/// <summary>Upload bodies: a real 64x48 PNG followed by random padding up to the wanted size. The
/// service reads the type and dimensions from the head only, so the padding is never decoded.</summary>
public static class Payloads
{
    public const string ContentType = "image/png";
    public const int Width = 64, Height = 48;

    public static readonly byte[] Png = MakePng(Width, Height);

    /// <summary>A whole body in memory, for small files whose hash is checked.</summary>
    public static byte[] Bytes(int size, int seed)
    {
        var body = new byte[Math.Max(size, Png.Length)];
        Png.CopyTo(body, 0);
        new Random(seed).NextBytes(body.AsSpan(Png.Length));
        return body;
    }

    private static byte[] MakePng(int width, int height)
    {
        var raw = new byte[height * (1 + width * 3)]; // filter byte 0, then RGB per row
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var at = y * (1 + width * 3) + 1 + x * 3;
                (raw[at], raw[at + 1], raw[at + 2]) = ((byte)(x * 4), (byte)(y * 5), 128);
            }
        using var zlib = new MemoryStream();
        using (var z = new ZLibStream(zlib, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw);

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: RGB
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", zlib.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typeAndData));
        png.Write(number);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}

/// <summary>A large body made on the fly: the PNG, then a 4 MiB random block repeated. Seekable with a
/// known length, so HttpClient sends Content-Length; the client never holds the file.</summary>
public sealed class PayloadStream(long length, int seed) : Stream
{
    private static readonly int BlockSize = 4 << 20;
    private readonly byte[] _block = Payloads.Bytes(BlockSize, seed)[Payloads.Png.Length..];
    private long _position;

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length && _position < length)
        {
            var want = (int)Math.Min(buffer.Length - written, length - _position);
            int n;
            if (_position < Payloads.Png.Length)
            {
                n = Math.Min(want, Payloads.Png.Length - (int)_position);
                Payloads.Png.AsSpan((int)_position, n).CopyTo(buffer[written..]);
            }
            else
            {
                var at = (int)((_position - Payloads.Png.Length) % _block.Length);
                n = Math.Min(want, _block.Length - at);
                _block.AsSpan(at, n).CopyTo(buffer[written..]);
            }
            written += n;
            _position += n;
        }
        return written;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => ValueTask.FromResult(Read(buffer.Span));
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => Task.FromResult(Read(buffer.AsSpan(offset, count)));
    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => _position; set => _position = Math.Clamp(value, 0, length); }
    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset, SeekOrigin.Current => _position + offset, _ => length + offset,
    };
    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
