using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Accounts;

public sealed record TokenPair(string TokenType, string AccessToken, long ExpiresIn, string RefreshToken);

public static class AccountClients
{
    public const string Password = "Str0ng!Passw0rd";

    /// <summary>A client whose connections come from <paramref name="source"/> (any 127.x address reaches the app on loopback),
    /// so the app sees another client address, as it would for another machine.</summary>
    public static HttpClient From(this MediaVaultApplication app, string source) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    }) { BaseAddress = app.BaseAddress };

    public static async Task<string> RegisterAsync(this HttpClient client, string? email = null)
    {
        email ??= $"u{Guid.NewGuid():N}@example.com";
        await (await client.PostAsJsonAsync("/auth/register", new { email, password = Password })).ShouldBe(HttpStatusCode.OK);
        return email;
    }

    public static Task<HttpResponseMessage> LogInAsync(this HttpClient client, string email, string password = Password) =>
        client.PostAsJsonAsync("/auth/login", new { email, password });

    public static async Task<TokenPair> LogInOkAsync(this HttpClient client, string email, string password = Password)
    {
        var response = await client.LogInAsync(email, password);
        await response.ShouldBe(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<TokenPair>())!;
    }

    public static Task<HttpResponseMessage> RefreshAsync(this HttpClient client, string refreshToken) =>
        client.PostAsJsonAsync("/auth/refresh", new { refreshToken });

    public static HttpClient Bearer(this MediaVaultApplication app, TokenPair tokens)
    {
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        return client;
    }
}
