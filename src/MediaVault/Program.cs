using MediaVault.Accounts;
using MediaVault.Auth;
using MediaVault.Cleanup;
using MediaVault.Data;
using MediaVault.Health;
using MediaVault.Images;
using MediaVault.Infrastructure;
using MediaVault.Limits;
using MediaVault.Products;
using MediaVault.Profiles;
using MediaVault.Storage;
using MediaVault.Uploads;
using MediaVault.WebUi;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddEnvironmentVariables("MediaVault__");
builder.UseDefaultUrlUnlessConfigured();
builder.AddSecurityHeaders();
builder.AddLogMasking();
builder.AddAllowedHosts();

builder.AddBrowserOrigins();
builder.AddData();
builder.AddStorage();
builder.AddAuth();
builder.AddAccountDeletion();
builder.AddUploads();
builder.AddProducts();
builder.AddProfiles();
builder.AddCleanup();
builder.AddHealth();
builder.AddLimits();
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemMapping.CamelCaseErrorKeys);
builder.Services.AddExceptionHandler<ProblemMapping>();
builder.Services.AddValidation();
builder.AddApiDocs();
// Malformed JSON and unbindable parameters reach ProblemMapping, which explains them in a 400 problem.
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

var app = builder.Build();

app.UseSecurityHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAllowedHosts();
app.UseWebUi();
app.UseCors();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimits();

app.MapApiDocs();
app.MapHealth();
app.MapAuth();
app.MapAccountDeletion();
app.MapImages();
app.MapUploads();
app.MapProducts();
app.MapProfiles();
app.MapStorage();
app.MapUsage();

await app.MigrateDatabaseAsync();
app.Run();

namespace MediaVault
{
    public partial class Program;
}
