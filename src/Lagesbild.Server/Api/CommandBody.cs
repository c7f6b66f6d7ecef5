using System.Text.Json;
using Lagesbild.Domain.Picture;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace Lagesbild.Server.Api;

/// <summary>Reads a command from a request body, saying exactly what is wrong when it cannot.</summary>
public static class CommandBody
{
    /// <summary>No command is anywhere near this; a bigger body is a mistake or an attack.</summary>
    public const int MaxBytes = 64 * 1024;

    public static async Task<(T? Command, IResult? Problem)> ReadAsync<T>(HttpContext http) where T : class
    {
        if (!http.Request.HasJsonContentType())
            return (null, Problem(StatusCodes.Status415UnsupportedMediaType, "Fel innehållstyp", "Skicka JSON med Content-Type: application/json."));
        if (http.Request.ContentLength > MaxBytes)
            return (null, TooLarge());
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = MaxBytes;
        try
        {
            var command = await JsonSerializer.DeserializeAsync<T>(http.Request.Body, DomainJson.Options, http.RequestAborted);
            return command is null
                ? (null, Problem(StatusCodes.Status400BadRequest, "Ogiltig JSON", "Kroppen är tom eller null; skicka ett JSON-objekt."))
                : (command, null);
        }
        catch (JsonException error)
        {
            return (null, Unreadable(error, typeof(T)));
        }
        catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }
    }

    /// <summary>A body that is not the JSON expected: 400 naming the field and what is wrong, in the user's words.</summary>
    private static IResult Unreadable(JsonException error, Type expected)
    {
        var (field, message) = DomainJson.Explain(error, expected);
        var where = field.Length == 0 ? "" : $" (vid {field})";
        var problem = new ValidationProblemDetails(new Dictionary<string, string[]> { [field.Length == 0 ? "body" : field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Ogiltig JSON",
            Detail = $"Kroppen kunde inte läsas{where}: {message}",
        };
        return Results.Problem(problem);
    }

    private static IResult TooLarge() =>
        Problem(StatusCodes.Status413PayloadTooLarge, "För stor", $"Kroppen får vara högst {MaxBytes / 1024} KB.");

    private static IResult Problem(int status, string title, string detail) =>
        Results.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail });
}
