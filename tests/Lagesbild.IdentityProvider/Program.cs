// Runs the demo provider on its own, for trying Lagesbild's sign-in by hand (README, "Sign-in and roles"):
//   dotnet run --project tests/Lagesbild.IdentityProvider -- --DemoProvider:Port=5099
using Lagesbild.IdentityProvider;

var settings = new ConfigurationBuilder().AddCommandLine(args).AddEnvironmentVariables().Build()
    .GetSection(DemoProviderSettings.Section).Get<DemoProviderSettings>() ?? new DemoProviderSettings();
await using var provider = await DemoProvider.StartAsync(settings);
Console.WriteLine($"Demo-inloggning på {provider.Authority} (klient {settings.ClientId}, publik {settings.Audience}). Ctrl+C avslutar.");
var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
await stop.Task;
