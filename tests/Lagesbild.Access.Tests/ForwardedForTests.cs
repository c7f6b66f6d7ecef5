namespace Lagesbild.Access.Tests;

/// <summary>
/// X-Forwarded-For is believed only from the reverse proxies the city configures; by default
/// from nobody, loopback included, so a process on the host cannot name a new address with
/// every request and escape the per-address limit.
/// </summary>
public sealed class ForwardedForTests(AddressLimitedServer fixture, ITestOutputHelper output) : IClassFixture<AddressLimitedServer>
{
    [Fact]
    public async Task A_spoofed_forwarded_address_from_loopback_gets_no_bucket_of_its_own()
    {
        using var anonymous = fixture.Server.CreateClient("");
        var statuses = new List<int>();
        // The limit is 5 a second with bursts of 50: 100 requests at once exceed it from one address.
        // Asked of the nearest points: residents' whole list is answered before the limiter (PublicListFront),
        // the same bytes for the whole city, which residents behind one shared address must all get.
        for (var i = 0; i < 100; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/public/safety-points/nearest?lon=18.07&lat=59.31");
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{i + 1}");
            using var response = await anonymous.SendAsync(request);
            statuses.Add((int)response.StatusCode);
        }

        output.WriteLine($"100 requests from loopback, each claiming another address: {string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{g.Key}: {g.Count()}"))}");
        Assert.Contains(429, statuses);
        Assert.All(statuses, s => Assert.Contains(s, new[] { 200, 429 }));
    }
}
