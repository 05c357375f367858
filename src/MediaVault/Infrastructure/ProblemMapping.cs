using System.Data.Common;
using MediaVault.Storage;
using MediaVault.Uploads;
using MediaVault.Data;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace MediaVault.Infrastructure;

/// <summary>Unexpected failures with a known cause become the right RFC 9457 status; the details
/// (bucket, SQL, stack) go to the log, never to the client.</summary>
internal sealed class ProblemMapping(IProblemDetailsService problems, DatabaseProvider database, ILogger<ProblemMapping> log) : IExceptionHandler
{
    /// <summary>Validation errors name the JSON field the client sent (<c>size</c>), not the C# property (<c>Size</c>).</summary>
    public static void CamelCaseErrorKeys(ProblemDetailsContext context)
    {
        if (context.ProblemDetails is not HttpValidationProblemDetails validation) return;
        var renamed = validation.Errors.ToDictionary(e => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(e.Key), e => e.Value);
        validation.Errors.Clear();
        foreach (var (key, value) in renamed) validation.Errors[key] = value;
    }

    /// <summary>The same answer on either database: a lost race is a 409, anything else a 503 to retry.
    /// (EF's retrying strategy wraps what it gave up on in an InvalidOperationException.)</summary>
    private (int, string) DatabaseFailure(DbException exception)
    {
        var failure = database.Classify(exception);
        if (failure is DbFailure.UniqueViolation or DbFailure.Conflict)
            return (StatusCodes.Status409Conflict, "Conflict with a concurrent request");
        if (failure is DbFailure.InvalidText)
            return (StatusCodes.Status400BadRequest, "Text that cannot be stored");
        database.OnUnavailable(exception);
        return (StatusCodes.Status503ServiceUnavailable, "Database unavailable");
    }

    /// <summary>The exception or one it wraps (EF wraps driver errors in DbUpdateException or, after
    /// its retries, in an InvalidOperationException).</summary>
    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (var depth = 0; e is not null && depth < 4; e = e.InnerException, depth++)
            if (e is T found) return found;
        return null;
    }

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (status, title) = exception switch
        {
            StorageUnavailableException => (StatusCodes.Status503ServiceUnavailable, "Storage unavailable"),
            _ when Find<DbException>(exception) is { } db => DatabaseFailure(db),
            _ when Find<TimeoutException>(exception) is not null => (StatusCodes.Status503ServiceUnavailable, "Database unavailable"),
            MalformedBodyException => (StatusCodes.Status400BadRequest, "Malformed request body"),
            ContentLengthException { TooLarge: true } => (StatusCodes.Status413PayloadTooLarge, "Content too large"),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge, "Request body too large"),
            BadHttpRequestException bad => (bad.StatusCode, "Bad request"),
            _ => (0, ""),
        };
        if (status == 0) return false;
        if (status >= 500) log.LogError(exception, "{Title} while handling {Path}", title, http.Request.Path);
        if (status == StatusCodes.Status503ServiceUnavailable) http.Response.Headers.RetryAfter = "5";
        http.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            // Only the framework's own wording of a bad request is safe to show; everything else stays in the log.
            ProblemDetails =
            {
                Status = status, Title = title,
                Detail = exception is BadHttpRequestException ? exception.Message
                    : status == StatusCodes.Status409Conflict ? "Another request changed the same data at the same time; retry this one."
                    : title == "Text that cannot be stored" ? "A text field holds a NUL character or is longer than the service keeps." : null,
            },
        });
    }
}
