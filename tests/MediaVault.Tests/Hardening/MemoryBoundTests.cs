using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using MediaVault.Tests.Infrastructure;
using MediaVault.Tests.Scale;

namespace MediaVault.Tests.Hardening;

/// <summary>A 100 MB form, anonymous or signed in, does not make the app hold 100 MB: the app runs as a
/// process of its own and its peak resident memory (VmHWM) is read before and after.</summary>
public sealed class MemoryBoundTests(RgwServer rgw)
{
    private const long FormBytes = 100L * 1024 * 1024;
    private const long Bound = 50L * 1024 * 1024;

    [Theory]
    [InlineData(StoreKind.Local, "/storage", "fields", false, HttpStatusCode.BadRequest)]
    [InlineData(StoreKind.Local, "/storage", "policy", false, HttpStatusCode.BadRequest)]
    [InlineData(StoreKind.Local, "/storage", "file", false, HttpStatusCode.Forbidden)]
    [InlineData(StoreKind.Local, "/images/upload", "fields", true, HttpStatusCode.BadRequest)]
    [InlineData(StoreKind.S3, "/images/upload", "fields", false, HttpStatusCode.Unauthorized)]
    [InlineData(StoreKind.S3, "/images/upload", "fields", true, HttpStatusCode.BadRequest)]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task AHundredMegabyteFormDoesNotFollowIntoMemory(StoreKind store, string path, string shape, bool signedIn, HttpStatusCode expected)
    {
        var dir = Path.Combine(Path.GetTempPath(), "mediavault-memory-" + Guid.NewGuid().ToString("N")[..8]);
        var environment = new Dictionary<string, string>
        {
            ["MediaVault__Database__ConnectionString"] = $"Data Source={Path.Combine(dir, "mv.db")}",
            ["MediaVault__Storage__Provider"] = store.ToString(),
            ["MediaVault__Storage__Local__Root"] = Path.Combine(dir, "storage"),
        };
        if (store == StoreKind.S3) InstanceEnvironment.AddS3(environment, rgw, "mv-" + Guid.NewGuid().ToString("N")[..20]);
        try
        {
            await using var app = await AppProcess.StartAsync("memory", environment, TimeSpan.FromSeconds(60));
            using var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromMinutes(3) };
            var token = signedIn ? await SignInAsync(http) : null;
            // Warm: the same endpoint once with a small form, so what the first request costs is in the baseline.
            await SendAsync(app.BaseAddress, path, token, new FloodForm(shape, 1024 * 1024));
            var before = Peak(app.ProcessId);

            var (status, head) = await SendAsync(app.BaseAddress, path, token, new FloodForm(shape, FormBytes));
            var after = Peak(app.ProcessId);

            Assert.Equal((int)expected, status);
            Assert.Contains("Content-Type: application/problem+json", head, StringComparison.OrdinalIgnoreCase);
            Assert.True(after - before < Bound, $"peak resident memory grew by {(after - before) / (1024 * 1024)} MB for a {FormBytes / (1024 * 1024)} MB form");
            (await http.GetAsync("/health/live")).EnsureSuccessStatusCode();
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Sends the form over a socket of its own and reads the answer even when the server answers
    /// early and closes the connection without reading the rest (HttpClient would report only the broken pipe).</summary>
    private static async Task<(int Status, string Head)> SendAsync(Uri server, string path, string? token, FloodForm form)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: {form.Headers.ContentType}\r\nTransfer-Encoding: chunked\r\n"
            + (token is null ? "" : $"Authorization: Bearer {token}\r\n") + "Connection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var writing = Task.Run(async () =>
        {
            // Chunked: no length to refuse the body by, so the app has to read it to refuse it.
            try
            {
                await form.CopyToAsync(new ChunkedStream(stream));
                await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or HttpRequestException) { } // the server stopped reading: its right
        });
        using var answer = new MemoryStream();
        var buffer = new byte[16 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        int n;
        try
        {
            while ((n = await stream.ReadAsync(buffer, timeout.Token)) > 0) answer.Write(buffer, 0, n);
        }
        catch (IOException) when (answer.Length > 0) { } // reset after the answer
        await writing;
        var text = Encoding.UTF8.GetString(answer.ToArray());
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, $"no answer: {text}");
        return (int.Parse(text.Split(' ', 3)[1]), text[..end]);
    }

    private sealed class ChunkedStream(Stream inner) : Stream
    {
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
        {
            if (buffer.Length == 0) return;
            await inner.WriteAsync(Encoding.ASCII.GetBytes($"{buffer.Length:x}\r\n"), ct);
            await inner.WriteAsync(buffer, ct);
            await inner.WriteAsync("\r\n"u8.ToArray(), ct);
        }
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) => WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private static async Task<string> SignInAsync(HttpClient http)
    {
        var email = $"mem-{Guid.NewGuid():N}@example.com";
        const string password = "Str0ng!Passw0rd";
        (await http.PostAsJsonAsync("/auth/register", new { email, password })).EnsureSuccessStatusCode();
        var login = await http.PostAsJsonAsync("/auth/login", new { email, password });
        login.EnsureSuccessStatusCode();
        return (await login.Content.ReadFromJsonAsync<Dictionary<string, object>>())!["accessToken"].ToString()!;
    }

    /// <summary>The process's peak resident set so far (VmHWM), in bytes.</summary>
    private static long Peak(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:"));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0]) * 1024;
    }

    /// <summary>A multipart form written as it is sent, never held by the client either:
    /// "fields" is thousands of 8 kB text fields, "policy" one field of the whole size, "file" a file
    /// of the whole size with no policy before it.</summary>
    private sealed class FloodForm : HttpContent
    {
        private const string Boundary = "flood-boundary-7d1";
        private readonly string _shape;
        private readonly long _bytes;

        public FloodForm(string shape, long bytes)
        {
            (_shape, _bytes) = (shape, bytes);
            Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = new byte[8 * 1024];
            Array.Fill(chunk, (byte)'x');
            long sent = 0;
            var part = 0;
            async Task Head(string disposition) =>
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; {disposition}\r\n\r\n"));
            if (_shape == "fields")
            {
                while (sent < _bytes)
                {
                    await Head($"name=\"field{part++}\"");
                    await stream.WriteAsync(chunk);
                    await stream.WriteAsync("\r\n"u8.ToArray());
                    sent += chunk.Length;
                }
            }
            else
            {
                await Head(_shape == "policy" ? "name=\"policy\"" : "name=\"file\"; filename=\"big.bin\"");
                for (; sent < _bytes; sent += chunk.Length) await stream.WriteAsync(chunk);
                await stream.WriteAsync("\r\n"u8.ToArray());
            }
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"--{Boundary}--\r\n"));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
