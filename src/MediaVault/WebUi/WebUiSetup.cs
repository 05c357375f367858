using Microsoft.AspNetCore.StaticFiles;

namespace MediaVault.WebUi;

/// <summary>
/// The web UI: static files from wwwroot, "/" being index.html. Only files that exist are served;
/// there is no fallback page, so an unknown API route stays a 404 problem and never becomes HTML.
/// </summary>
internal static class WebUiSetup
{
    public static WebApplication UseWebUi(this WebApplication app)
    {
        var types = new FileExtensionContentTypeProvider();
        // Module scripts are refused under any other type than JavaScript's; every text file is UTF-8.
        types.Mappings[".mjs"] = types.Mappings[".js"] = "text/javascript; charset=utf-8";
        types.Mappings[".html"] = "text/html; charset=utf-8";
        types.Mappings[".css"] = "text/css; charset=utf-8";
        types.Mappings[".svg"] = "image/svg+xml; charset=utf-8";
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            ContentTypeProvider = types,
            OnPrepareResponse = context => PageHeaders.Apply(context.Context),
        });
        return app;
    }
}
