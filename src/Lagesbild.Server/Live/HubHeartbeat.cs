using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Lagesbild.Server.Live;

/// <summary>
/// The server's heartbeat on every live connection: when nothing else has been sent for
/// <see cref="Interval"/>, a ping (11 bytes). A phone whose network died without a word (no
/// reset, no close) hears nothing more, and the page says "ingen kontakt sedan …" once two are
/// missed (its timeout, 8 s, in live/connection.ts) instead of looking live for 30 s.
/// </summary>
public sealed class HubHeartbeat : IConfigureOptions<HubOptions>
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    public void Configure(HubOptions options) => options.KeepAliveInterval = Interval;
}
