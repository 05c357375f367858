// Single reads are the point here: each test looks at what one read does.
#pragma warning disable CA2022
using MediaVault.Storage;

namespace MediaVault.Tests.Unit;

public sealed class LimitedStreamTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(10, 10)]
    [InlineData(10, 11)]
    [InlineData(100_000, 100_000)]
    public async Task ReadsEverythingUpToTheMaximumAndCountsItExactly(int size, long max)
    {
        var content = Bytes(size);
        var limited = new LimitedStream(new MemoryStream(content), max);
        var copy = new MemoryStream();
        await limited.CopyToAsync(copy, 7, TestContext.Current.CancellationToken);
        Assert.Equal(content, copy.ToArray());
        Assert.Equal(size, limited.BytesRead);
        Assert.Equal(size, limited.Position);
    }

    [Fact]
    public async Task ThrowsOnTheReadThatCrossesTheMaximum()
    {
        var limited = new LimitedStream(new MemoryStream(Bytes(11)), 10);
        var buffer = new byte[6];
        Assert.Equal(6, await limited.ReadAsync(buffer, TestContext.Current.CancellationToken));
        var e = await Assert.ThrowsAsync<ContentLengthException>(async () => await limited.ReadAsync(buffer, TestContext.Current.CancellationToken));
        Assert.True(e.TooLarge);
        Assert.Equal(10, e.Limit);
        Assert.Equal(11, limited.BytesRead);
    }

    [Fact]
    public async Task ThrowsPastTheMaximumThroughEveryReadOverload()
    {
        Assert.Throws<ContentLengthException>(() => new LimitedStream(new MemoryStream(Bytes(5)), 4).Read(new byte[8], 0, 8));
        Assert.Throws<ContentLengthException>(() => new LimitedStream(new MemoryStream(Bytes(5)), 4).Read(new byte[8].AsSpan()));
        await Assert.ThrowsAsync<ContentLengthException>(() => new LimitedStream(new MemoryStream(Bytes(5)), 4).ReadAsync(new byte[8], 0, 8));
        Assert.Throws<ContentLengthException>(() => new LimitedStream(new MemoryStream(Bytes(5)), 4).CopyTo(Stream.Null));
    }

    [Fact]
    public async Task ThrowsAtTheEndWhenBelowTheMinimum()
    {
        var limited = new LimitedStream(new MemoryStream(Bytes(4)), 10, minBytes: 5);
        var buffer = new byte[16];
        Assert.Equal(4, await limited.ReadAsync(buffer, TestContext.Current.CancellationToken));
        var e = await Assert.ThrowsAsync<ContentLengthException>(async () => await limited.ReadAsync(buffer, TestContext.Current.CancellationToken));
        Assert.False(e.TooLarge);
        Assert.Equal(5, e.Limit);
    }

    [Fact]
    public void AnEmptyStreamFailsAMinimumOfOne()
    {
        var e = Assert.Throws<ContentLengthException>(() => new LimitedStream(new MemoryStream(), 10, minBytes: 1).CopyTo(Stream.Null));
        Assert.False(e.TooLarge);
    }

    [Fact]
    public void ReachingExactlyTheMinimumEndsNormally()
    {
        var limited = new LimitedStream(new MemoryStream(Bytes(5)), 10, minBytes: 5);
        limited.CopyTo(Stream.Null);
        Assert.Equal(5, limited.BytesRead);
    }

    [Fact]
    public void IsAForwardOnlyReadOnlyStream()
    {
        var limited = new LimitedStream(new MemoryStream(Bytes(5)), 10);
        Assert.True(limited.CanRead);
        Assert.False(limited.CanSeek);
        Assert.False(limited.CanWrite);
        Assert.Throws<NotSupportedException>(() => limited.Length);
        Assert.Throws<NotSupportedException>(() => limited.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => limited.Write([1], 0, 1));
    }

    private static byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
