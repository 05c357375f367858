using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using MediaVault.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace MediaVault.Accounts;

public sealed record DeleteAccountRequest([property: Required, MaxLength(AuthOptions.MaxPassword)] string Password);

internal static class AccountDeletionApi
{
    public static WebApplicationBuilder AddAccountDeletion(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AccountPurge>();
        return builder;
    }

    public static IEndpointRouteBuilder MapAccountDeletion(this IEndpointRouteBuilder app)
    {
        app.MapApiGroup("/account").WithTags("Account")
            .MapDelete("/", DeleteAccount).WithName(nameof(DeleteAccount))
            .WithSummary("Deletes the caller's account and everything it stored; the password confirms it.")
            .WithMetadata(new RequestSizeLimitAttribute(AuthOptions.MaxBodyBytes))
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<Results<NoContent, ValidationProblem, JsonHttpResult<ProblemDetails>, UnauthorizedHttpResult>> DeleteAccount(
        [FromBody] DeleteAccountRequest request, ClaimsPrincipal principal, HttpContext http, UserManager<IdentityUser> users,
        PasswordCheck check, AccountPurge purge, CancellationToken ct)
    {
        if (await users.FindByIdAsync(principal.UserId()) is not { Email: { } email } user) return TypedResults.Unauthorized();
        var (outcome, _, retryAt) = await check.CheckAsync(email, request.Password, http.Connection.RemoteIpAddress);
        if (outcome == PasswordCheck.Outcome.Locked) return AuthRefusals.Locked(http, retryAt!.Value);
        if (outcome == PasswordCheck.Outcome.Invalid)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["password"] = ["The password is not right."] });
        await purge.MarkAsync(user.Id, ct);
        // The rest can wait for clean-up if this request dies; the caller's answer does not depend on it.
        await purge.PurgeAsync(user.Id, ct);
        return TypedResults.NoContent();
    }
}
