namespace MediaVault.Storage;

/// <summary>A storage response body whose every read has a deadline: a store that stops sending
/// mid-body becomes a <see cref="StorageUnavailableException"/>, not a request that never ends.</summary>
internal sealed class DeadlineStream(Stream inner, TimeSpan timeout) : ReadOnlyStream
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try { return await inner.ReadAsync(buffer, deadline.Token); }
        catch (Exception e) when (e is OperationCanceledException or IOException && !ct.IsCancellationRequested)
        {
            throw new StorageUnavailableException($"Object storage stopped sending for {timeout.TotalSeconds:0.#} s.", e);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }
}
