using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace MediaVault.Infrastructure;

public sealed class ApiDocsOptions
{
    public const string Section = "OpenApi";

    /// <summary>Serve /openapi/v1.json and the interactive page at /docs (in Production too).</summary>
    public bool Enabled { get; set; } = true;
}

/// <summary>The OpenAPI document (every endpoint with every status it answers, from the typed results)
/// and an interactive page at /docs.</summary>
internal static class ApiDocs
{
    private const string Bearer = "Bearer";

    public static WebApplicationBuilder AddApiDocs(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiDocsOptions>().BindConfiguration(ApiDocsOptions.Section);
        builder.Services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "MediaVault";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer",
                    Description = "The accessToken from POST /auth/login, in the Authorization header.",
                };
                return Task.CompletedTask;
            });
            // A partial update's field is documented as the value it carries (absent = unchanged).
            o.AddSchemaTransformer(async (schema, context, ct) =>
            {
                var type = context.JsonTypeInfo.Type;
                if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(Optional<>)) return;
                var inner = await context.GetOrCreateSchemaAsync(type.GetGenericArguments()[0], null, ct);
                schema.Type = inner.Type;
                schema.Format = inner.Format;
                schema.Items = inner.Items;
                schema.Properties = inner.Properties;
                schema.Description = "Leave out to keep the current value.";
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                operation.Responses ??= new OpenApiResponses();
                if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] });
                    operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No valid bearer token." });
                }
                // Identity's endpoints answer a wrong password or a spent refresh token with a 401 problem.
                if (context.Description.RelativePath is "auth/login" or "auth/refresh")
                    operation.Responses.TryAdd("401", new OpenApiResponse { Description = "Wrong e-mail or password, or an invalid refresh token." });
                if (metadata.OfType<Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute>().Any())
                    operation.Responses.TryAdd("429", new OpenApiResponse { Description = "A rate limit is used up (a problem with Retry-After)." });
                // What the exception handler answers for any endpoint that reaches the database or storage.
                if (!metadata.OfType<NoDependenciesMetadata>().Any())
                    operation.Responses.TryAdd("503", new OpenApiResponse { Description = "The database or storage is unavailable (a problem with Retry-After)." });
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapApiDocs(this WebApplication app)
    {
        if (!app.Configuration.GetValue($"{ApiDocsOptions.Section}:{nameof(ApiDocsOptions.Enabled)}", true)) return app;
        app.MapOpenApi();
        app.MapScalarApiReference("/docs", o => o.WithTitle("MediaVault API"));
        app.MapGet("/docs", () => TypedResults.Redirect("/docs/v1")).ExcludeFromDescription();
        return app;
    }

    /// <summary>Marks endpoints that answer without the database or storage (no 503 to document).</summary>
    public static TBuilder NeedsNoDependencies<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new NoDependenciesMetadata());

    private sealed class NoDependenciesMetadata;
}
