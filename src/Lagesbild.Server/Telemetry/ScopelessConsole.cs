using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Console;

namespace Lagesbild.Server.Telemetry;

/// <summary>
/// The console log without logging scopes. A scope lives as long as the request that opened
/// it, and a live map's connection is one request that lasts for hours: Kestrel, hosting and
/// SignalR each open scopes that every idle connection then kept, with the execution contexts
/// that carry them (BENCHMARKS.md, idle memory). The console's formatter never printed scopes
/// (its IncludeScopes is off by default), so the log reads the same.
/// </summary>
public static class ScopelessConsole
{
    public static ILoggingBuilder AddScopelessConsole(this ILoggingBuilder logging)
    {
        logging.AddConsole();
        var console = logging.Services.Single(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider));
        logging.Services.Remove(console);
        logging.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, Provider>());
        return logging;
    }

    /// <summary>Hands out the console's loggers but, by not supporting external scopes, keeps the logger factory from recording any.</summary>
    private sealed class Provider(IServiceProvider services) : ILoggerProvider
    {
        private readonly ConsoleLoggerProvider _console = ActivatorUtilities.CreateInstance<ConsoleLoggerProvider>(services);

        public ILogger CreateLogger(string categoryName) => _console.CreateLogger(categoryName);

        public void Dispose() => _console.Dispose();
    }
}
