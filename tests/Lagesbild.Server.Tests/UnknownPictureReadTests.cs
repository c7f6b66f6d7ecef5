using System.Net;
using System.Text.Json;

namespace Lagesbild.Server.Tests;

/// <summary>The reads of a picture's current state answer a clear 404 for a picture that does not exist, and do not create it.</summary>
public sealed class UnknownPictureReadTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData("attention")]
    [InlineData("duty/now")]
    [InlineData("assignments/follow-up")]
    [InlineData("overview")]
    [InlineData("exports/overview.pdf")]
    [InlineData("exports/reports.csv")]
    [InlineData("exports/minutes.pdf")]
    [InlineData("resolutions/search")]
    public async Task A_read_of_a_picture_that_does_not_exist_is_a_404_that_says_so(string read)
    {
        var answer = await fixture.Http.GetAsync($"api/pictures/ex-finns-inte/{read}");

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        var problem = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("'ex-finns-inte' finns inte", problem.GetProperty("detail").GetString());
        var pictures = await fixture.Http.GetStringAsync("api/pictures");
        Assert.DoesNotContain("ex-finns-inte", pictures);
    }
}
