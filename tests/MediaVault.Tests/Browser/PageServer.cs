using MediaVault.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace MediaVault.Tests.Browser;

/// <summary>
/// A third party's web site on its own loopback port, so its origin differs from the app's: it
/// serves the uploader page (Browser/upload.html) and the Uppy bundle vendored in the app's
/// wwwroot/lib/uppy, read from the source tree, as the app itself does not serve static files yet.
/// </summary>
public sealed class PageServer : IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>http://127.0.0.1:PORT, once started.</summary>
    public string Origin { get; private set; } = "";

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();

        var page = Path.Combine(AppContext.BaseDirectory, "Browser", "upload.html");
        _app.MapGet("/", () => Results.File(page, "text/html; charset=utf-8"));
        var lib = Path.Combine(RgwServer.RepoRoot(), "src", "MediaVault", "wwwroot", "lib");
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".mjs"] = "text/javascript"; // module scripts are refused under any other type
        _app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(lib), RequestPath = "/lib", ContentTypeProvider = types,
        });

        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Origin = new Uri(address).GetLeftPart(UriPartial.Authority);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
