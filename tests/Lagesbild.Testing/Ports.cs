using System.Net;
using System.Net.Sockets;

namespace Lagesbild.Testing;

/// <summary>
/// Ports for the servers a test starts. They lie below the kernel's ephemeral range: a port the
/// kernel hands out for port 0 can be taken by any outgoing connection while a server restarts on
/// it, and the restart then fails with "address already in use" (seen in a full run).
/// </summary>
public static class Ports
{
    private const int Lowest = 10000;
    private static readonly HashSet<int> Handed = [];
    private static readonly int Highest = EphemeralStart() - 1;

    /// <summary>A free loopback port, outside the ephemeral range, not handed out before in this test run.</summary>
    public static int Free()
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(Lowest, Highest + 1);
            lock (Handed)
            {
                if (Handed.Contains(port) || !IsFree(port))
                    continue;
                Handed.Add(port);
                return port;
            }
        }
        throw new InvalidOperationException($"Ingen ledig port mellan {Lowest} och {Highest} efter 1000 försök.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The first port of the kernel's ephemeral range (Linux); 32768 where it cannot be read.</summary>
    private static int EphemeralStart()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        try
        {
            var first = File.ReadAllText(range).Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries)[0];
            var start = int.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
            return start > Lowest + 1000 ? start : 32768;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32768;
        }
    }
}
