using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Mvc;

namespace MediaVault.Auth;

internal static class AuthApi
{
    /// <summary>/auth: small JSON bodies only, never cached, limited per client IP.</summary>
    public static RouteGroupBuilder MapAuthGroup(this IEndpointRouteBuilder app) =>
        app.MapGroup("/auth").WithTags("Auth").AddEndpointFilter(AuthSetup.NoStore)
            .RequireRateLimiting(Limits.RateLimitSetup.AuthPerIp)
            .WithMetadata(new RequestSizeLimitAttribute(AuthOptions.MaxBodyBytes))
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var auth = app.MapAuthGroup();
        auth.MapPost("/register", Register).WithName(nameof(Register)).WithSummary("Creates an account.");
        auth.MapPost("/login", LogIn).WithName(nameof(LogIn)).WithSummary("Signs in: an access token and a refresh token.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/refresh", Refresh).WithName(nameof(Refresh)).WithSummary("Exchanges a refresh token (once) for a new pair.");
        auth.MapPost("/logout", LogOut).WithName(nameof(LogOut)).WithSummary("Ends every refresh token of the caller.")
            .RequireAuthorization(AuthSetup.ApiPolicy);
        auth.MapPost("/password", ChangePassword).WithName(nameof(ChangePassword))
            .WithSummary("Changes the password, ends every refresh token, and answers a new pair.")
            .RequireAuthorization(AuthSetup.ApiPolicy).ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    /// <summary>An e-mail already taken gets one generic error and no more (not "user name taken" beside
    /// "e-mail taken"): without e-mail confirmation, a sign-up form cannot hide it entirely.</summary>
    private static async Task<Results<Ok, ValidationProblem>> Register(RegisterRequest request, UserManager<IdentityUser> users)
    {
        var user = new IdentityUser();
        await users.SetUserNameAsync(user, request.Email);
        await users.SetEmailAsync(user, request.Email);
        var result = await users.CreateAsync(user, request.Password);
        if (result.Succeeded) return TypedResults.Ok();
        var errors = new Dictionary<string, string[]>();
        foreach (var error in result.Errors)
        {
            var taken = error.Code is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName);
            var key = taken ? nameof(IdentityErrorDescriber.DuplicateEmail) : error.Code; // the one key the UI knows
            errors[key] = taken ? ["This e-mail address cannot be registered."] : [.. errors.GetValueOrDefault(key, []), error.Description];
        }
        return TypedResults.ValidationProblem(errors);
    }

    private static async Task<Results<Ok<AccessTokenResponse>, JsonHttpResult<ProblemDetails>>> LogIn(LoginRequest request,
        HttpContext http, PasswordCheck check, TokenIssuer tokens, CancellationToken ct)
    {
        var (outcome, user, retryAt) = await check.CheckAsync(request.Email, request.Password, http.Connection.RemoteIpAddress);
        return outcome switch
        {
            PasswordCheck.Outcome.Valid => TypedResults.Ok(await tokens.IssueAsync(user!, ct)),
            PasswordCheck.Outcome.Locked => AuthRefusals.Locked(http, retryAt!.Value),
            _ => AuthRefusals.BadCredentials(),
        };
    }

    private static async Task<Results<Ok<AccessTokenResponse>, UnauthorizedHttpResult>> Refresh(RefreshRequest request, TokenIssuer tokens,
        CancellationToken ct) =>
        await tokens.RedeemAsync(request.RefreshToken, ct) is { } user ? TypedResults.Ok(await tokens.IssueAsync(user, ct)) : TypedResults.Unauthorized();

    private static async Task<Results<NoContent, UnauthorizedHttpResult>> LogOut(ClaimsPrincipal principal, UserManager<IdentityUser> users,
        TokenIssuer tokens, CancellationToken ct)
    {
        if (await users.FindByIdAsync(principal.UserId()) is not { } user) return TypedResults.Unauthorized();
        await tokens.RevokeAllAsync(user, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<AccessTokenResponse>, ValidationProblem, JsonHttpResult<ProblemDetails>, UnauthorizedHttpResult>> ChangePassword(
        ChangePasswordRequest request, ClaimsPrincipal principal, HttpContext http, UserManager<IdentityUser> users, PasswordCheck check,
        TokenIssuer tokens, CancellationToken ct)
    {
        if (await users.FindByIdAsync(principal.UserId()) is not { Email: { } email } user) return TypedResults.Unauthorized();
        var (outcome, _, retryAt) = await check.CheckAsync(email, request.CurrentPassword, http.Connection.RemoteIpAddress);
        if (outcome == PasswordCheck.Outcome.Locked) return AuthRefusals.Locked(http, retryAt!.Value);
        if (outcome == PasswordCheck.Outcome.Invalid)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["currentPassword"] = ["The current password is not right."] });
        var result = await users.ChangePasswordAsync(user, request.CurrentPassword, request.NewPassword);
        if (!result.Succeeded)
            return TypedResults.ValidationProblem(result.Errors.GroupBy(e => e.Code).ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));
        await tokens.RevokeAllAsync(user, ct);
        return TypedResults.Ok(await tokens.IssueAsync(user, ct));
    }
}
