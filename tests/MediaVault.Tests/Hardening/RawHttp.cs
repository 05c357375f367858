using System.Net.Sockets;
using System.Text;

namespace MediaVault.Tests.Hardening;

/// <summary>A request written byte by byte over a socket, for what HttpClient will not send (no Host, an odd Host).</summary>
public static class RawHttp
{
    public sealed record Answer(int Status, string Head, string Body);

    public static async Task<Answer> SendAsync(Uri server, string requestHead, string body = "")
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        await using var stream = tcp.GetStream();
        var bytes = Encoding.UTF8.GetBytes(requestHead.ReplaceLineEndings("\r\n") + body);
        await stream.WriteAsync(bytes);
        using var read = new MemoryStream();
        var buffer = new byte[16 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        int n;
        // Every request says Connection: close, so the answer ends with the connection.
        while ((n = await stream.ReadAsync(buffer, timeout.Token)) > 0) read.Write(buffer, 0, n);
        var text = Encoding.UTF8.GetString(read.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var status = int.Parse(head.Split(' ', 3)[1]);
        return new Answer(status, head, split < 0 ? "" : text[(split + 4)..]);
    }
}
