using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;
using Lagesbild.Domain.SafetyPoints;
using Lagesbild.Grains.Reports;
using Lagesbild.Server.Api;
using Lagesbild.Server.Live;
using Microsoft.Extensions.Options;

namespace Lagesbild.Server.Attention;

/// <summary>
/// Which trygghetspunkter need attention in a picture now, judged by <see cref="SafetyPointAttention"/>
/// against the city's thresholds. The points are read from the picture's feed once per change; the
/// judging is redone per question, since time alone can raise or clear a mark. The same answer names the
/// districts and sectors late with a lägesrapport (<see cref="ReportingOverdue"/>), so one question, asked
/// again when the answer says it changes, keeps every mark on the map current.
/// </summary>
public sealed class AttentionBoard(PictureFeeds feeds, IOptions<AttentionOptions> options, IOptions<ReportingRhythmOptions> rhythm, TimeProvider clock)
{
    /// <summary>What the overdue flags are judged from: the level, the reporters, their latest reports and each begäran.</summary>
    private static readonly FrozenSet<EntityKind> ReportingKinds =
        [EntityKind.City, EntityKind.District, EntityKind.Sector, EntityKind.SituationReport, EntityKind.ReportRequest];

    private readonly ReportingRhythm _rhythm = rhythm.Value.ToRhythm();

    private static readonly StringComparer Swedish = StringComparer.Create(new CultureInfo("sv-SE"), false);
    private readonly AttentionThresholds _thresholds = options.Value.ToThresholds();
    private readonly ConcurrentDictionary<string, PointsAt> _points = new();

    public async ValueTask<AttentionAnswer> JudgeAsync(string picture)
    {
        var feed = await feeds.GetAsync(picture);
        if (!_points.TryGetValue(picture, out var points) || points.Seq != feed.Seq)
        {
            points = Read(feed.Snapshot()) with { Reporting = [.. ReportsApi.StatesOf(feed.SourcedStates().States, ReportingKinds.Contains)] };
            _points[picture] = points;
        }
        var now = clock.GetUtcNow();
        var attention = new List<PointAttention>();
        DateTimeOffset? changesAt = null;
        foreach (var (id, at, state) in points.Points)
        {
            var (reasons, next) = SafetyPointAttention.Judge(id, state, at, now, _thresholds);
            if (reasons.Length > 0)
                attention.Add(new PointAttention(id, state.District, state.Name, reasons));
            if (next is { } n && (changesAt is null || n < changesAt))
                changesAt = n;
        }
        // Where fuel is short the city's refuelling order decides who comes first.
        var ordered = attention
            .OrderBy(p => p.Reasons.FirstOrDefault(r => r.Rule == AttentionRule.FuelLow) is { } fuel ? fuel.FuelRank ?? int.MaxValue - 1 : int.MaxValue)
            .ThenBy(p => p.Name, Swedish)
            .ToArray();
        var (reports, reportsChangeAt) = ReportingOverdue.Judge(points.Reporting, _rhythm, now);
        if (reportsChangeAt is { } r && (changesAt is null || r < changesAt))
            changesAt = r;
        return new AttentionAnswer(points.Seq, now, changesAt, ordered, reports);
    }

    private static PointsAt Read((long Seq, byte[] Json) snapshot)
    {
        using var document = JsonDocument.Parse(snapshot.Json);
        var points = document.RootElement.GetProperty("entities").EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == nameof(EntityKind.SafetyPoint))
            .Select(e => (e.GetProperty("id").GetString()!, e.GetProperty("at").GetDateTimeOffset(),
                e.GetProperty("state").Deserialize<SafetyPointState>(DomainJson.Internal)!))
            .ToArray();
        return new PointsAt(snapshot.Seq, points, []);
    }

    private sealed record PointsAt(long Seq, (string Id, DateTimeOffset At, SafetyPointState State)[] Points, SourcedState[] Reporting);
}

/// <summary>The points that need attention, as of a sequence number and a moment.</summary>
/// <param name="ChangesAt">When the answer next changes by time alone (a report ageing out, fuel burning down, a lägesrapport falling due); ask again then.</param>
/// <param name="Reports">The districts and sectors late with a lägesrapport, by the cadence or a begäran's deadline.</param>
public sealed record AttentionAnswer(long Seq, DateTimeOffset At, DateTimeOffset? ChangesAt, PointAttention[] Points, ImmutableArray<OverdueReporter> Reports);
