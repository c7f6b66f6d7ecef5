using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;
using Lagesbild.Server.Api;

namespace Lagesbild.Server.Alerts;

/// <summary>
/// One picture's records as typed states, each parsed once per change of that record. The alert
/// rules look at the whole picture after every change; parsing every record again each time made
/// that look grow with the picture's size times its rate of change, though one change alters one
/// record. A record is parsed again when its sequence number or its text is not the one parsed.
/// </summary>
public sealed class ParsedStates(Func<EntityKind, bool> only)
{
    private readonly Dictionary<string, Parsed> _byKey = new(StringComparer.Ordinal);
    private long _look;

    /// <summary>The records' states, in the records' order, as <see cref="ReportsApi.StatesOf"/> would read them.</summary>
    public List<SourcedState> Read((string Key, long Seq, string State)[] records)
    {
        var look = ++_look;
        var states = new List<SourcedState>(records.Length);
        foreach (var (key, seq, json) in records)
        {
            if (!_byKey.TryGetValue(key, out var parsed))
                _byKey[key] = parsed = new Parsed();
            // The feed keeps a record's text until the record changes, so the same string is the same state;
            // comparing the reference, not the text, keeps an unchanged record's cost to a lookup.
            if (parsed.Seq != seq || !ReferenceEquals(parsed.Json, json))
            {
                parsed.Seq = seq;
                parsed.Json = json;
                parsed.State = ReportsApi.StateOf(key, seq, json, only);
            }
            parsed.Look = look;
            if (parsed.State is { } state)
                states.Add(state);
        }
        // Records that left the picture (an exercise reset to its start) are forgotten.
        if (_byKey.Count > records.Length)
        {
            foreach (var (key, parsed) in _byKey)
            {
                if (parsed.Look != look)
                    _byKey.Remove(key);
            }
        }
        return states;
    }

    private sealed class Parsed
    {
        public long Seq = -1;
        public string? Json;
        public SourcedState? State;
        public long Look;
    }
}
