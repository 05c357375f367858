using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MediaVault.Auth;

/// <summary>Refusals of a sign-in written as fixed bytes (no trace id): a wrong password and a missing
/// account must answer exactly alike.</summary>
internal static class AuthRefusals
{
    private const string ProblemJson = "application/problem+json";

    public static JsonHttpResult<ProblemDetails> BadCredentials() => TypedResults.Json(new ProblemDetails
    {
        Status = StatusCodes.Status401Unauthorized,
        Title = "Sign-in failed",
        Detail = "The e-mail address and password do not match an account.",
        Type = "https://tools.ietf.org/html/rfc9110#section-15.5.2",
    }, contentType: ProblemJson, statusCode: StatusCodes.Status401Unauthorized);

    public static JsonHttpResult<ProblemDetails> Locked(HttpContext http, DateTimeOffset retryAt)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling((retryAt - http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow()).TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Json(new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many failed sign-ins",
            Detail = "Too many failed sign-ins to this e-mail address from your network; try again later.",
            Type = "https://tools.ietf.org/html/rfc6585#section-4",
        }, contentType: ProblemJson, statusCode: StatusCodes.Status429TooManyRequests);
    }
}
