using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Lagesbild.Server.Api;

/// <summary>
/// A request the framework could not bind (a query value that is not a number, a body that
/// is not the JSON expected) is the caller's mistake: 400 with what was wrong, never 500.
/// </summary>
public sealed class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
            return false;
        http.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = "Ogiltig förfrågan",
                Detail = bad.InnerException is System.Text.Json.JsonException json ? $"{bad.Message} {json.Message.Split(" Path:")[0]}" : bad.Message,
            },
        });
    }
}
