using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Lagesbild.Server;

/// <summary>
/// Settings that are needed before the host is built (the store to start, the silo's ports):
/// bound and checked here, so a wrong value stops the start with a message that names it,
/// as <c>ValidateOnStart</c> does for the options the host reads later.
/// </summary>
public static class OptionsAtStart
{
    public static T Read<T>(IConfiguration configuration, string section) where T : class, new()
    {
        var options = configuration.GetSection(section).Get<T>() ?? new T();
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new OptionsValidationException(section, typeof(T),
                results.Select(r => $"{section}:{string.Join(", ", r.MemberNames)}: {r.ErrorMessage}"));
        }
        return options;
    }
}
