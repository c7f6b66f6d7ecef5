using System.Net;
using System.Net.Sockets;

namespace Lagesbild.Testing;

public static class Ports
{
    private static readonly HashSet<int> Handed = [];

    /// <summary>A free loopback port not handed out before in this test run.</summary>
    public static int Free()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (Handed)
            {
                if (Handed.Add(port))
                    return port;
            }
        }
    }
}
