using Lagesbild.Grains.Alerts.Outbox;

namespace Lagesbild.Server.Alerts.Delivery;

/// <summary>The alert channels, their outbox and its worker, as one registration for Program.cs.</summary>
public static class AlertDeliveryServices
{
    public static IServiceCollection AddAlertDelivery(this IServiceCollection services)
    {
        services.AddOptions<AlertChannelOptions>().BindConfiguration(AlertChannelOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // The outbox owns retries and timeouts: the clients try once.
        services.AddHttpClient(WebhookAlertChannel.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddHttpClient(WebPushAlertChannel.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<AlertOutbox>();
        services.AddSingleton<AlertOutboxSignal>();
        services.AddSingleton<PushSubscriptions>();
        services.AddSingleton<IAlertChannel, SmtpAlertChannel>();
        services.AddSingleton<IAlertChannel, WebhookAlertChannel>();
        services.AddSingleton<IAlertChannel, WebPushAlertChannel>();
        services.AddSingleton<IAlertDeliveries, AlertDeliveries>();
        services.AddHostedService<AlertOutboxWorker>();
        return services;
    }
}
