namespace Lagesbild.Domain.Picture;

/// <summary>Collects per-field validation problems so a caller hears about all of them at once.</summary>
public sealed class Problems
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
            _errors[field] = list = [];
        list.Add(message);
    }

    public void Required(string field, object? value)
    {
        if (value is null || value is string s && string.IsNullOrWhiteSpace(s))
            Add(field, "Måste anges.");
    }

    public void Text(string field, string? value, int maxLength, bool required = false)
    {
        if (required)
            Required(field, value);
        if (value is not null && value.Length > maxLength)
            Add(field, $"Får vara högst {maxLength} tecken (är {value.Length}).");
        if (value is not null && value.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
            Add(field, "Innehåller otillåtna styrtecken.");
    }

    public void Range(string field, int? value, int min, int max, bool required = true)
    {
        if (value is null)
        {
            if (required)
                Add(field, "Måste anges.");
            return;
        }
        if (value < min || value > max)
            Add(field, $"Måste vara mellan {min} och {max} (är {value}).");
    }

    public void Range(string field, double? value, double min, double max, bool required = true)
    {
        if (value is null)
        {
            if (required)
                Add(field, "Måste anges.");
            return;
        }
        if (!double.IsFinite(value.Value) || value < min || value > max)
            Add(field, $"Måste vara mellan {min} och {max} (är {value}).");
    }

    public void Defined<TEnum>(string field, TEnum? value, bool required = true) where TEnum : struct, Enum
    {
        if (value is null)
        {
            if (required)
                Add(field, "Måste anges.");
            return;
        }
        if (!Enum.IsDefined(value.Value))
            Add(field, $"Okänt värde. Tillåtna: {string.Join(", ", Enum.GetNames<TEnum>())}.");
    }

    public Refusal? ToRefusal() =>
        Any ? Refusal.Invalid(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray())) : null;
}
