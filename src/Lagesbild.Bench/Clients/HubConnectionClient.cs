using System.Text.Json;
using Lagesbild.Bench.Measure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Lagesbild.Bench.Clients;

/// <summary>
/// The full .NET SignalR client (HubConnection) over WebSockets, as the tests' LiveClient
/// uses it, but keeping no history. Heavier per connection than <see cref="HubSocketClient"/>;
/// kept to compare the two (<c>--client hub</c>). It cannot stall, and does not count bytes.
/// </summary>
public sealed class HubConnectionClient : PictureClient
{
    private readonly HubConnection _connection;

    public HubConnectionClient(Uri server, string token, LatencyHistogram latencies) : base(latencies)
    {
        _connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server, "hubs/picture"), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                options.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        _connection.On<JsonElement>("snapshot", snapshot =>
            OnSnapshot(snapshot.GetProperty("seq").GetInt64(), snapshot.GetProperty("eventId").GetString()));
        _connection.On<JsonElement>("delta", delta =>
        {
            var receivedAt = DateTimeOffset.UtcNow;
            OnDelta(delta.GetProperty("seq").GetInt64(), delta.GetProperty("id").GetString()!, delta.GetProperty("at").GetDateTimeOffset(), receivedAt);
        });
        _connection.Closed += error =>
        {
            OnClosed(error?.Message ?? "closed");
            return Task.CompletedTask;
        };
    }

    public override async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await _connection.StartAsync(cancellationToken);
        await InvokeJoinAsync(null, null).WaitAsync(cancellationToken);
        await FirstSnapshot.WaitAsync(cancellationToken);
    }

    protected override Task InvokeJoinAsync(long? afterSeq, string? afterEventId) =>
        _connection.InvokeAsync<JsonElement>("Join", Picture, afterSeq, afterEventId);

    public override ValueTask DisposeAsync() => _connection.DisposeAsync();
}
