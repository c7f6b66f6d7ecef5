using System.Buffers.Text;
using System.Text;
using Garnet.common;
using Garnet.server;
using Tsavorite.core;

namespace Lagesbild.Grains.Picture;

/// <summary>
/// The loggbok append as a Garnet transaction procedure, for the embedded store: the same
/// keys, checks and writes as <see cref="PictureStore"/>'s Lua script (keep the two in step;
/// the grain tests compare what each writes), but logged as ONE entry in Garnet's append-only
/// file, replayed by running the procedure again. A script is logged write by write, and with
/// durable acknowledgement each of its eight writes waits for its own synchronous disk write.
/// </summary>
/// <remarks>
/// Arguments: the nine keys (seq, log, state, versions, commandIds, byTime, byEntity,
/// byDistrict, chain), then entity, expectedSeq, commandId, entryTail, recordTail, atMs,
/// hasDistrict, request. Answer: "outcome:seq", outcome 0 appended, 1 duplicate (then
/// "1:seq:request" as stored with the command id), 2 conflict (seq is then the entity's
/// current version). Deterministic: everything it writes comes from its arguments
/// and the store, so replaying it rebuilds the same state.
/// </remarks>
public sealed class GarnetAppendProcedure : CustomTransactionProcedure
{
    public const string Name = "LAGESBILD.APPEND";
    /// <summary>The command and its 17 arguments.</summary>
    public const int Arity = 18;
    private const int KeyCount = 9;

    public override bool Prepare<TGarnetReadApi>(TGarnetReadApi api, ref CustomProcedureInput procInput)
    {
        var offset = 0;
        AddKey(GetNextArg(ref procInput, ref offset), LockType.Exclusive, StoreType.Main);
        for (var i = 1; i < KeyCount; i++)
            AddKey(GetNextArg(ref procInput, ref offset), LockType.Exclusive, StoreType.Object);
        return true;
    }

    public override void Main<TGarnetApi>(TGarnetApi api, ref CustomProcedureInput procInput, ref MemoryResult<byte> output)
    {
        var offset = 0;
        var seqKey = GetNextArg(ref procInput, ref offset);
        var log = GetNextArg(ref procInput, ref offset);
        var state = GetNextArg(ref procInput, ref offset);
        var versions = GetNextArg(ref procInput, ref offset);
        var commandIds = GetNextArg(ref procInput, ref offset);
        var byTime = GetNextArg(ref procInput, ref offset);
        var byEntity = GetNextArg(ref procInput, ref offset);
        var byDistrict = GetNextArg(ref procInput, ref offset);
        var chain = GetNextArg(ref procInput, ref offset);
        var entity = GetNextArg(ref procInput, ref offset);
        var expectedSeq = GetNextArg(ref procInput, ref offset);
        var commandId = GetNextArg(ref procInput, ref offset);
        var entryTail = GetNextArg(ref procInput, ref offset);
        var recordTail = GetNextArg(ref procInput, ref offset);
        var atMs = GetNextArg(ref procInput, ref offset);
        var hasDistrict = GetNextArg(ref procInput, ref offset);
        var request = GetNextArg(ref procInput, ref offset);

        if (api.HashGet(commandIds, commandId, out var done) == GarnetStatus.OK && done.Length > 0)
        {
            WriteSimpleString(ref output, "1:" + Encoding.UTF8.GetString(done.ReadOnlySpan));
            return;
        }
        TryGetNumber(api, versions, entity, out var current);
        if (!Utf8Parser.TryParse(expectedSeq.ReadOnlySpan, out long expected, out _) || current != expected)
        {
            WriteSimpleString(ref output, $"2:{current}");
            return;
        }

        api.Increment(seqKey, out long seq, out _, 1);
        var seqText = CreateArgSlice(Encoding.ASCII.GetBytes(seq.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var head = Encoding.ASCII.GetBytes($"{{\"seq\":{seq},");
        byte[] entry = [.. head, .. entryTail.ReadOnlySpan];
        api.HashSet(log, seqText, CreateArgSlice(entry), out _);
        api.HashSet(chain, seqText, CreateArgSlice(Link(api, chain, seq, entry)), out _);
        api.HashSet(state, entity, CreateArgSlice([.. head, .. recordTail.ReadOnlySpan]), out _);
        api.HashSet(versions, entity, seqText, out _);
        api.HashSet(commandIds, commandId, CreateArgSlice([.. seqText.ReadOnlySpan, (byte)':', .. request.ReadOnlySpan]), out _);
        api.SortedSetAdd(byTime, atMs, seqText, out _);
        api.SortedSetAdd(byEntity, seqText, seqText, out _);
        if (hasDistrict.ReadOnlySpan.SequenceEqual("1"u8))
            api.SortedSetAdd(byDistrict, seqText, seqText, out _);
        WriteSimpleString(ref output, $"0:{seq}");
    }

    /// <summary>SHA-1(previous link .. entry) in lower-case hex, as the Lua script's redis.sha1hex writes it.</summary>
    private byte[] Link<TGarnetApi>(TGarnetApi api, PinnedSpanByte chain, long seq, byte[] entry)
        where TGarnetApi : IGarnetApi
    {
        var previous = seq > 1
            && api.HashGet(chain, CreateArgSlice(Encoding.ASCII.GetBytes((seq - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))), out var link) == GarnetStatus.OK
            ? link.ReadOnlySpan.ToArray()
            : [];
        return Encoding.ASCII.GetBytes(Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData([.. previous, .. entry])));
    }

    private static bool TryGetNumber<TGarnetApi>(TGarnetApi api, PinnedSpanByte key, PinnedSpanByte field, out long value)
        where TGarnetApi : IGarnetApi
    {
        value = 0;
        return api.HashGet(key, field, out var found) == GarnetStatus.OK
            && found.Length > 0
            && Utf8Parser.TryParse(found.ReadOnlySpan, out value, out _);
    }
}
