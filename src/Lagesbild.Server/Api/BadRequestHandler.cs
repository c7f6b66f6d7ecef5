using System.Text.Json;
using System.Text.RegularExpressions;
using Lagesbild.Domain.Picture;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Lagesbild.Server.Api;

/// <summary>
/// A request the framework could not bind (a query value that is not a number, a body that
/// is not the JSON expected) is the caller's mistake: 400 with what was wrong, never 500.
/// The framework's own text names .NET types and parameters ("Nullable&lt;DateTimeOffset&gt; from");
/// the answer says the same in the user's words.
/// </summary>
public sealed partial class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
            return false;
        http.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = bad.StatusCode, Title = "Ogiltig förfrågan", Detail = Explain(http, bad) },
        });
    }

    private static string Explain(HttpContext http, BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            var body = http.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType ?? typeof(JsonElement);
            var (field, message) = DomainJson.Explain(json, body);
            return $"Kroppen kunde inte läsas{(field.Length == 0 ? "" : $" (vid {field})")}: {message}";
        }
        if (Parameter().Match(bad.Message) is { Success: true } parameter)
        {
            var name = parameter.Groups["name"].Value;
            return bad.Message.StartsWith("Required", StringComparison.Ordinal)
                ? $"Parametern '{name}' måste anges."
                : $"Parametern '{name}' har ett ogiltigt värde: {Expected(parameter.Groups["type"].Value)}";
        }
        return bad.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge => $"Kroppen får vara högst {CommandBody.MaxBytes / 1024} KB.",
            StatusCodes.Status415UnsupportedMediaType => "Skicka JSON med Content-Type: application/json.",
            StatusCodes.Status408RequestTimeout => "Förfrågan kom för långsamt.",
            _ => "Förfrågan kunde inte läsas.",
        };
    }

    private static string Expected(string type) => type switch
    {
        _ when type.Contains("DateTime", StringComparison.Ordinal) => "ange en tidpunkt enligt ISO 8601, t.ex. 2026-12-01T09:00:00Z.",
        _ when type.Contains("int", StringComparison.Ordinal) || type.Contains("long", StringComparison.Ordinal) => "ange ett heltal.",
        _ when type.Contains("bool", StringComparison.Ordinal) => "ange true eller false.",
        _ => "värdet har fel form.",
    };

    /// <summary>The parameter in the framework's 'Failed to bind parameter "Nullable&lt;int&gt; limit" from "abc"' and its kin.</summary>
    [GeneratedRegex("parameter \"(?<type>[^\"]*) (?<name>[^\" ]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex Parameter();
}
