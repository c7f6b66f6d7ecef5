using System.Buffers;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Lagesbild.Server.Live;

/// <summary>
/// The JSON hub protocol as live delivery frames with it: SignalR's own (the hub's JSON options
/// included), counting the deltas it frames. A delta is framed once per readership and the bytes
/// are cached in its <see cref="SerializedHubMessage"/> under the protocol's name, shared by every
/// connection on either path; the count (<see cref="LiveStats.DeltasFramed"/>) shows that it stays
/// once however many connections watch.
/// </summary>
public sealed class LiveProtocol(IHubProtocolResolver protocols, LiveMetrics metrics) : IHubProtocol
{
    private readonly IHubProtocol _json = protocols.GetProtocol("json", null) ?? throw new InvalidOperationException("The JSON hub protocol is not registered.");

    public string Name => _json.Name;
    public int Version => _json.Version;
    public TransferFormat TransferFormat => _json.TransferFormat;
    public bool IsVersionSupported(int version) => _json.IsVersionSupported(version);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HubMessage? message) =>
        _json.TryParseMessage(ref input, binder, out message);

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output)
    {
        Count(message);
        _json.WriteMessage(message, output);
    }

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message)
    {
        Count(message);
        return _json.GetMessageBytes(message);
    }

    private void Count(HubMessage message)
    {
        if (message is InvocationMessage { Target: HubMethods.Delta })
            metrics.DeltaFramed();
    }
}
