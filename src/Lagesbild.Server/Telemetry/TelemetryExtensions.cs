using Lagesbild.Grains.Picture;
using Lagesbild.Server.Live;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Lagesbild.Server.Telemetry;

/// <summary>Logs to the console; traces and metrics for HTTP, grains, the store and live push, exported only when OTLP is configured.</summary>
public static class TelemetryExtensions
{
    public static WebApplicationBuilder AddLagesbildTelemetry(this WebApplicationBuilder builder)
    {
        builder.Logging.AddScopelessConsole();
        var otlp = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        // With nowhere to send them, recording spans and histograms is pure cost: an activity
        // with tags kept for the whole life of every live connection, and a histogram entry
        // per delivery (BENCHMARKS.md, idle memory).
        if (string.IsNullOrWhiteSpace(otlp))
            return builder;
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("lagesbild", serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithTracing(tracing => tracing
                .AddSource(EntityGrain<object, Domain.Picture.Command>.Activity.Name, PictureStore.Activity.Name, PictureFeed.Activity.Name)
                .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                .AddAspNetCoreInstrumentation(options => options.Filter = http => !http.Request.Path.StartsWithSegments("/health")))
            .WithMetrics(metrics => metrics
                .AddMeter(LiveMetrics.MeterName, PictureStore.MeterName, "Microsoft.Orleans")
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddView("lagesbild.store.append.latency", new ExplicitBucketHistogramConfiguration { Boundaries = [0.25, 0.5, 1, 2, 5, 10, 25, 50, 100] })
                .AddView("lagesbild.push.latency", new ExplicitBucketHistogramConfiguration
                {
                    Boundaries = [0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 5000],
                }));
        telemetry.UseOtlpExporter();
        return builder;
    }
}
