using System.Diagnostics;
using System.Text.Json;
using Lagesbild.Domain.Picture;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lagesbild.Grains.Picture;

/// <summary>
/// The shared life of every entity grain: load the record, decide with the domain's rules,
/// append the change to the loggbok (the commit point), then announce it to every node.
/// The grain is thin on purpose; the rules live in Lagesbild.Domain.
/// </summary>
public abstract class EntityGrain<TState, TCommand>(PictureStore store, IAreas areas, IOfficeHours officeHours, TimeProvider clock, ILogger logger)
    : Grain, IEntityGrain<TCommand>, IGrainMigrationParticipant
    where TState : class
    where TCommand : Command
{
    public static readonly ActivitySource Activity = new("Lagesbild.Grains");

    private PictureKeys _keys = null!;
    private EntityRef _self;
    private TState? _state;
    private long _seq;
    private string? _record;
    private bool _loaded;
    private StoreReach? _reach;
    private ILocalFeed? _localFeed;
    // Handed here by a node that stepped aside: if this node has stepped aside as well (the
    // store is gone for everyone), it stays rather than being handed back and forth.
    private bool _handedOff;

    protected abstract EntityKind Kind { get; }

    protected abstract Decision<TState> Decide(EntityRef self, TState? state, TCommand command, DecideContext context);

    /// <summary>The district a change concerns, for the loggbok's district index.</summary>
    protected abstract string? DistrictOf(TState state);

    /// <summary>The picture this entity belongs to.</summary>
    protected string Picture => _keys.Picture;

    /// <summary>The picture's sequence number now (one read of the store).</summary>
    protected ILogger Logger => logger;

    protected Task<long> PictureSeqAsync() => store.CurrentSeqAsync(_keys);

    /// <summary>This entity's own loggbok entries, oldest first.</summary>
    protected Task<string[]> OwnEntriesAsync() => store.QueryAsync(_keys, new LogQuery(_self, null, null, null, 0, int.MaxValue));

    /// <summary>Whether another entity of the same picture has a record.</summary>
    protected async Task<bool> ExistsAsync(EntityRef entity) => await store.ReadRecordAsync(_keys, entity) is not null;

    /// <summary>
    /// A check of an accepted command against other things in the picture, which the rules
    /// (seeing this entity alone) cannot make; a refusal here stores nothing.
    /// </summary>
    protected virtual Task<Refusal?> CheckReferencesAsync(TCommand command) => Task.FromResult<Refusal?>(null);

    /// <summary>
    /// The district a creating command concerns when only another thing knows it (a begäran's point), for
    /// <see cref="Access.Check"/>; asked only before this entity exists.
    /// </summary>
    protected virtual Task<string?> DistrictBeforeCreationAsync(TCommand command) => Task.FromResult<string?>(null);

    /// <summary>The entity's state as this activation holds it (null before it exists).</summary>
    protected TState? CurrentState => _state;

    /// <summary>Reads what the rules decide with besides this entity (an exercise's clock), before each decision.</summary>
    protected virtual Task BeforeDecideAsync(TCommand command) => Task.CompletedTask;

    /// <summary>What follows from a stored change in another entity (a level change's beslut); the change itself stands either way.</summary>
    protected virtual Task AfterAppendAsync(TCommand command, Accepted<TState> accepted, Actor actor, long seq) => Task.CompletedTask;

    /// <summary>
    /// A retry of a command whose change is stored (<paramref name="entry"/>): a grain whose follow-up may have
    /// failed after the change was stored completes it here, idempotently. The default has nothing to complete.
    /// </summary>
    protected virtual Task CompleteOnRetryAsync(TCommand command, Actor actor, long seq, JsonElement entry) => Task.CompletedTask;

    /// <summary>The stored entry's change and state as an accepted decision, when the entry holds a <typeparamref name="TChange"/>.</summary>
    protected static Accepted<TState>? StoredAs<TChange>(JsonElement entry) where TChange : Change =>
        entry.GetProperty("type").GetString() == typeof(TChange).Name
            ? new Accepted<TState>(entry.GetProperty("change").Deserialize<TChange>(DomainJson.Options)!, entry.GetProperty("state").Deserialize<TState>(DomainJson.Options)!)
            : null;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (picture, id) = EntityKey.Parse(this.GetPrimaryKeyString());
        _keys = new PictureKeys(picture);
        _self = new EntityRef(Kind, id);
        // Optional: a test silo without the store watch has none.
        _reach = ServiceProvider.GetService<StoreReach>();
        // Optional as well: a silo without the live push (the grain tests) has no feed to hand entries to.
        _localFeed = ServiceProvider.GetService<ILocalFeed>();
        if (_reach is { SteppedAside: true })
        {
            if (!_handedOff)
            {
                // A request reached this node for an entity it no longer holds (a stale
                // directory entry): hand it on before loading from a store that does not answer.
                MigrateOnIdle();
                return;
            }
        }
        else
        {
            _reach?.Hold(GrainContext);
        }
        await StoreCallAsync(LoadAsync);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _reach?.Release(GrainContext);
        return Task.CompletedTask;
    }

    void IGrainMigrationParticipant.OnDehydrate(IDehydrationContext dehydrationContext) => dehydrationContext.TryAddValue(HandedOffKey, true);

    void IGrainMigrationParticipant.OnRehydrate(IRehydrationContext rehydrationContext) => _handedOff = rehydrationContext.TryGetValue<bool>(HandedOffKey, out _);

    private const string HandedOffKey = "lagesbild-handed-off";

    /// <summary>A store failure leaves this grain as one that crosses silos (see <see cref="StoreUnavailableException"/>).</summary>
    private Task StoreCallAsync(Func<Task> call) => StoreCallAsync(_ => call());

    /// <param name="call">Given the token that is cancelled if this node steps aside meanwhile.</param>
    private async Task StoreCallAsync(Func<CancellationToken, Task> call)
    {
        var aside = _reach?.Aside ?? CancellationToken.None;
        try
        {
            await call(aside).WaitAsync(aside);
        }
        catch (Exception error) when (StoreUnavailableException.IsStoreFailure(error))
        {
            throw StoreUnavailableException.From(error, RuntimeIdentity, handedOn: _reach is { SteppedAside: true });
        }
        catch (OperationCanceledException) when (aside.IsCancellationRequested)
        {
            throw new StoreUnavailableException("this node stepped aside: the store does not answer it", RuntimeIdentity, handedOn: true);
        }
    }

    private async Task LoadAsync()
    {
        _record = await store.ReadRecordAsync(_keys, _self);
        _loaded = true;
        if (_record is null)
        {
            _state = null;
            _seq = 0;
            return;
        }
        using var document = JsonDocument.Parse(_record);
        _seq = document.RootElement.GetProperty("seq").GetInt64();
        _state = document.RootElement.GetProperty("state").Deserialize<TState>(DomainJson.Options);
    }

    public async Task<string?> Record()
    {
        if (!_loaded)
            await StoreCallAsync(LoadAsync);
        return _record;
    }

    public async Task<CommandResult> Handle(TCommand command, Actor actor, Guid commandId)
    {
        CommandResult result = null!;
        await StoreCallAsync(async aside => result = await HandleAsync(command, actor, commandId, aside));
        return result;
    }

    /// <param name="aside">
    /// Cancelled when this node steps aside. The caller has been answered 503 by then, but this
    /// method goes on when the store's late answer arrives (it may be a conflict, met by
    /// reloading and deciding again); it must then not append, or a change the caller was told
    /// is not stored would be stored by an activation that no longer exists.
    /// </param>
    private async Task<CommandResult> HandleAsync(TCommand command, Actor actor, Guid commandId, CancellationToken aside)
    {
        if (!_loaded)
            await LoadAsync();
        using var activity = Activity.StartActivity($"{Kind} {command.GetType().Name}");
        activity?.SetTag("lagesbild.picture", _keys.Picture);
        activity?.SetTag("lagesbild.entity", _self.ToString());

        var request = RequestFingerprint.Of(_self, command, actor);
        // Two tries: if another activation of this entity (say on a node that was thought
        // dead) wrote first, reload its state and decide again against the truth.
        for (var attempt = 0; ; attempt++)
        {
            var now = clock.GetUtcNow();
            var decided = Stopwatch.GetTimestamp();
            // Who may do this is decided first, against the entity as it is (a point's district).
            var entityDistrict = Access.DistrictOf(_self, command, _state) ?? (_state is null ? await DistrictBeforeCreationAsync(command) : null);
            if (Access.Check(actor, _self, entityDistrict, command, !officeHours.IsOpen(now), _state) is { } forbidden)
            {
                activity?.SetTag("lagesbild.refused", forbidden.Kind.ToString());
                return CommandResult.Refused(forbidden);
            }
            await BeforeDecideAsync(command);
            var decision = Decide(_self, _state, command, new DecideContext(now, areas, actor));
            if (decision.Refusal is { } refusal)
            {
                // Before refusing, make sure the refusal is about the truth: the command may be
                // a retry of one already applied, or another writer may have moved the entity on.
                if (refusal.Kind != RefusalKind.Invalid && attempt == 0)
                {
                    var (applied, version) = await store.CheckAsync(_keys, _self, commandId);
                    if (applied is { } done)
                        return await AnswerAsBeforeAsync(done.Seq, done.Request, request, command, actor);
                    if (version != _seq)
                    {
                        await LoadAsync();
                        continue;
                    }
                }
                activity?.SetTag("lagesbild.refused", refusal.Kind.ToString());
                if (_state is null)
                    DeactivateOnIdle();
                return CommandResult.Refused(refusal);
            }

            var accepted = decision.AcceptedChange!;
            if (await CheckReferencesAsync(command) is { } dangling)
            {
                activity?.SetTag("lagesbild.refused", dangling.Kind.ToString());
                if (_state is null)
                    DeactivateOnIdle();
                return CommandResult.Refused(dangling);
            }
            var district = DistrictOf(accepted.State) ?? DistrictOf(_state ?? accepted.State);
            var eventId = Guid.NewGuid();
            var (entryTail, recordTail) = EntryJson.Write(_keys.Picture, _self, district, eventId, commandId, now, actor, command.Reason, command.Internal, accepted.Change, accepted.State, activity?.Id);
            aside.ThrowIfCancellationRequested();
            var appending = Stopwatch.GetTimestamp();
            var result = await store.AppendAsync(_keys, _self, _seq, commandId, district, entryTail, recordTail, now, request);

            switch (result.Outcome)
            {
                case AppendOutcome.Appended:
                    if (PushStages.Enabled)
                    {
                        PushStages.Mark(result.Seq, PushStages.Stage.Decided, decided);
                        PushStages.Mark(result.Seq, PushStages.Stage.Appending, appending);
                        PushStages.Mark(result.Seq, PushStages.Stage.Appended);
                    }
                    _state = accepted.State;
                    _seq = result.Seq;
                    _record = $"{{\"seq\":{result.Seq},{recordTail}";
                    activity?.SetTag("lagesbild.seq", result.Seq);
                    await AnnounceAsync($"{{\"seq\":{result.Seq},{entryTail}");
                    await AfterAppendAsync(command, accepted, actor, result.Seq);
                    return new CommandResult(result.Seq, eventId.ToString("N"), now, _record, null);
                case AppendOutcome.Duplicate:
                    return await AnswerAsBeforeAsync(result.Seq, result.Request, request, command, actor);
                case AppendOutcome.Conflict when attempt == 0:
                    logger.LogWarning("{Entity} in {Picture} was changed by another writer (at {Seq}); deciding again", _self, _keys.Picture, result.Seq);
                    await LoadAsync();
                    continue;
                default:
                    return CommandResult.Refused(Refusal.Conflict($"{_self} ändrades samtidigt av någon annan; försök igen."));
            }
        }
    }

    /// <summary>
    /// The command id was used before. The same request (a retry after a lost answer) is
    /// answered as then; a different request with the same id is refused, never swallowed.
    /// </summary>
    private async Task<CommandResult> AnswerAsBeforeAsync(long seq, string? earlierRequest, string request, TCommand command, Actor actor)
    {
        // Entries stored before fingerprints were kept carry none; they are taken as retries.
        if (earlierRequest is not null && earlierRequest != request)
        {
            return CommandResult.Refused(new Refusal(RefusalKind.Unprocessable,
                $"Idempotency-Key användes redan för en annan ändring (nummer {seq} i loggboken), och den här förfrågan är inte densamma. " +
                "En ny ändring behöver en ny nyckel; ett nytt försök med samma ändring skickar exakt samma förfrågan."));
        }
        await LoadAsync();
        var earlier = await store.ReadEntryAsync(_keys, seq);
        using var document = JsonDocument.Parse(earlier!);
        var root = document.RootElement;
        await CompleteOnRetryAsync(command, actor, seq, root);
        var record = LiveRecord(root);
        return new CommandResult(seq, root.GetProperty("id").GetString(), root.GetProperty("at").GetDateTimeOffset(), record, null);
    }

    /// <summary>The entity's record as that entry left it.</summary>
    private static string LiveRecord(JsonElement entry)
    {
        var entity = entry.GetProperty("entity");
        return JsonSerializer.Serialize(new
        {
            seq = entry.GetProperty("seq").GetInt64(),
            kind = entity.GetProperty("kind").GetString(),
            id = entity.GetProperty("id").GetString(),
            at = entry.GetProperty("at"),
            by = entry.GetProperty("actor").GetProperty("name").GetString(),
            state = entry.GetProperty("state"),
        }, DomainJson.Options);
    }

    private async Task AnnounceAsync(string entry)
    {
        _localFeed?.Stored(_keys.Picture, entry);
        try
        {
            await store.PublishAsync(_keys, entry);
        }
        catch (Exception error)
        {
            // The change is stored; nodes notice the gap and read it from the loggbok.
            logger.LogWarning(error, "Could not announce {Entity} in {Picture}; nodes will catch up from the loggbok", _self, _keys.Picture);
        }
    }
}
