using Lagesbild.Testing;

namespace Lagesbild.Access.Tests;

/// <summary>
/// The development sign-in hands anyone a central krisledning token, so the server offers it
/// only when asked for by name in Development, and refuses to start without any sign-in.
/// </summary>
public sealed class SignInSetupTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("Staging", "true", "finns bara i miljön Development, inte i Staging")]
    [InlineData("Production", "true", "finns bara i miljön Development, inte i Production")]
    [InlineData("Development", "false", "Lagesbild:Auth:DevelopmentSignIn=true")]
    [InlineData("Staging", "false", "ingen inloggning är vald")]
    public async Task Without_an_identity_provider_the_server_refuses_to_start_unless_the_development_sign_in_is_asked_for_in_Development(
        string environment, string developmentSignIn, string said)
    {
        await using var server = new ServerProcess(settings: new Dictionary<string, string> { ["Lagesbild:Auth:DevelopmentSignIn"] = developmentSignIn });
        server.Environment["ASPNETCORE_ENVIRONMENT"] = environment;

        var exitCode = await server.RunUntilExitAsync();

        output.WriteLine($"{environment}, DevelopmentSignIn={developmentSignIn}: exit {exitCode}\n{server.Output}");
        Assert.NotEqual(0, exitCode);
        Assert.Contains(said, server.Output);
        Assert.Contains("Lagesbild:Auth:Authority", server.Output);
        Assert.False(File.Exists(Path.Combine(server.DataDirectory, "data", "dev-signing-key")), "a refused start created a signing key");
    }

    [Fact]
    public async Task In_Development_with_the_setting_the_development_sign_in_is_offered()
    {
        await using var server = new ServerProcess(settings: new Dictionary<string, string> { ["Lagesbild:Auth:DevelopmentSignIn"] = "true" });
        server.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";

        await server.StartAsync();
        using var anna = server.CreateClient("anna");
        var me = await anna.GetStringAsync("api/me");

        output.WriteLine($"/api/me as anna: {me}");
        Assert.Contains("\"central\"", me);
    }
}
