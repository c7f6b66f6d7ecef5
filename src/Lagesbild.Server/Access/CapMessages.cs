using System.Collections.Concurrent;
using System.Text.Json;
using System.Xml.Linq;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.SafetyPoints;
using Lagesbild.Grains.Picture;
using Lagesbild.Server.Live;
using Microsoft.Extensions.Options;

namespace Lagesbild.Server.Access;

/// <summary>
/// The CAP 1.2 messages of a picture: one for every change of a trygghetspunkt that residents
/// should hear about (it opens, changes status, fills up, changes what it offers or tells, closes).
/// They are folded from the loggbok in order, kept in memory and caught up at most once per
/// change of the picture, so asking costs no store round trip while nothing changes.
/// </summary>
public sealed class CapMessages(PictureFeeds feeds, PictureStore store, IOptions<PublicOptions> options)
{
    private readonly ConcurrentDictionary<string, Folded> _pictures = new(StringComparer.Ordinal);

    /// <summary>The messages of <paramref name="picture"/> after <paramref name="afterSeq"/>, oldest first, at most the newest kept.</summary>
    public async Task<IReadOnlyList<CapMessage>> AfterAsync(string picture, long afterSeq)
    {
        var folded = _pictures.GetOrAdd(picture, p => new Folded(p));
        var feed = await feeds.GetAsync(picture);
        if (folded.Seq != feed.Seq)
            await folded.CatchUpAsync(store, feed.Seq, options.Value);
        return folded.After(afterSeq);
    }

    private sealed class Folded(string picture)
    {
        private const int Page = 1000;
        private readonly SemaphoreSlim _gate = new(1, 1);
        private readonly Dictionary<string, (PublicSafetyPoint? Seen, string? Reference)> _points = new(StringComparer.Ordinal);
        private readonly List<CapMessage> _messages = [];
        private long _seq;

        public long Seq => Volatile.Read(ref _seq);

        public IReadOnlyList<CapMessage> After(long afterSeq)
        {
            lock (_messages)
                return _messages.Where(m => m.Seq > afterSeq).ToArray();
        }

        public async Task CatchUpAsync(PictureStore store, long through, PublicOptions options)
        {
            await _gate.WaitAsync();
            try
            {
                var keys = new PictureKeys(picture);
                while (_seq < through)
                {
                    var upTo = Math.Min(through, _seq + Page);
                    foreach (var json in await store.ReadEntriesAsync(keys, _seq, upTo))
                        Fold(json, options);
                    Volatile.Write(ref _seq, upTo);
                }
            }
            finally
            {
                _gate.Release();
            }
        }

        private void Fold(string json, PublicOptions options)
        {
            using var entry = JsonDocument.Parse(json);
            var root = entry.RootElement;
            var entity = root.GetProperty("entity");
            if (entity.GetProperty("kind").GetString() != nameof(EntityKind.SafetyPoint))
                return;
            var id = entity.GetProperty("id").GetString()!;
            var seq = root.GetProperty("seq").GetInt64();
            var at = root.GetProperty("at").GetDateTimeOffset();
            var state = root.GetProperty("state").Deserialize<SafetyPointState>(DomainJson.Internal)!;
            var now = SafetyPointRules.InOperation.Contains(state.Status) ? PublicSafetyPoint.Of(id, state, at) : null;
            var (seen, reference) = _points.GetValueOrDefault(id);
            var shown = now ?? seen;
            if (CapAlert.WhatChanged(seen, now) is not { } what || shown is null)
            {
                _points[id] = (now, reference);
                return;
            }
            var identifier = $"lagesbild-{picture}-{seq}";
            var xml = CapAlert.Build(picture, identifier, at, what.MsgType, what.Headline, shown, reference,
                new Uri(options.PublicPage), options.CapSender);
            lock (_messages)
            {
                _messages.Add(new CapMessage(seq, identifier, at, what.MsgType, what.Headline, id, xml.Declaration + "\n" + xml.Root!.ToString(SaveOptions.DisableFormatting)));
                if (_messages.Count > options.CapMessagesKept)
                    _messages.RemoveRange(0, _messages.Count - options.CapMessagesKept);
            }
            // A later message about the point refers to this one; after a Cancel the next is a new Alert.
            _points[id] = (now, now is null ? null : $"{options.CapSender},{identifier},{CapAlert.Time(at)}");
        }
    }
}

/// <summary>One CAP message: what it says in short, and the whole CAP 1.2 document.</summary>
public sealed record CapMessage(long Seq, string Identifier, DateTimeOffset Sent, string MsgType, string Headline, string SafetyPoint, string Xml);
