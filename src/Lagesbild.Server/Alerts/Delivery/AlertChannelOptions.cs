using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Lagesbild.Server.Alerts.Delivery;

/// <summary>
/// The alert channels and their outbox (<c>Lagesbild:Alerts:Channels</c>), checked at start. Every channel is off until
/// the city turns it on; a person's e-mail address and webhook target are given here (<see cref="People"/>), her push
/// subscriptions by her own page.
/// </summary>
public sealed class AlertChannelOptions : IValidatableObject
{
    public const string Section = "Lagesbild:Alerts:Channels";

    public SmtpChannelOptions Smtp { get; set; } = new();
    public WebhookChannelOptions Webhook { get; set; } = new();
    public WebPushChannelOptions WebPush { get; set; } = new();

    /// <summary>Whom each channel reaches, by the name the beredskapsschema and escalation chains use.</summary>
    public List<AlertAddress> People { get; set; } = [];

    /// <summary>Tries per item before its recipient is recorded Unreachable on that channel.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 20;

    /// <summary>The wait before the second try; each next doubles, up to <see cref="LongestRetrySeconds"/>, with jitter.</summary>
    [Range(0.05, 3600)]
    public double FirstRetrySeconds { get; set; } = 2;

    [Range(0.05, 3600)]
    public double LongestRetrySeconds { get; set; } = 60;

    /// <summary>How long one try may take before it counts as failed (a receiver that never answers).</summary>
    [Range(1, 300)]
    public int SendTimeoutSeconds { get; set; } = 10;

    /// <summary>How long a node holds a picture's outbox without renewing; after a crash the next node takes over after this.</summary>
    [Range(2, 300)]
    public int LeaseSeconds { get; set; } = 10;

    [Range(20, 10_000)]
    public int PollMilliseconds { get; set; } = 250;

    /// <summary>The page's address as the recipients open it, for the link in a message; none, no link.</summary>
    public Uri? PageAddress { get; set; }

    public bool AnyEnabled => Smtp.Enabled || Webhook.Enabled || WebPush.Enabled;

    public AlertAddress? AddressOf(string person) =>
        People.FirstOrDefault(p => p.Name is not null && Domain.Assignments.AssignmentRules.SamePerson(person, p.Name));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LongestRetrySeconds < FirstRetrySeconds)
            yield return Problem("LongestRetrySeconds", "får inte vara kortare än FirstRetrySeconds.");
        if (PageAddress is { IsAbsoluteUri: false } || PageAddress is { Scheme: not ("https" or "http") })
            yield return Problem("PageAddress", "ska vara sidans fullständiga adress (https://…).");
        if (Smtp.Enabled)
        {
            if (string.IsNullOrWhiteSpace(Smtp.Host))
                yield return Problem("Smtp:Host", "saknas: e-post kräver en SMTP-server.");
            if (Smtp.Port is < 1 or > 65535)
                yield return Problem("Smtp:Port", "ska vara 1–65535.");
            if (string.IsNullOrWhiteSpace(Smtp.From) || !MimeKit.MailboxAddress.TryParse(Smtp.From, out _))
                yield return Problem("Smtp:From", "saknas eller är ingen e-postadress.");
            if (!Enum.IsDefined(Smtp.Security))
                yield return Problem("Smtp:Security", "ska vara None, StartTls eller SslOnConnect.");
        }
        foreach (var (name, target) in Webhook.Targets)
        {
            if (!Uri.TryCreate(target.Url, UriKind.Absolute, out var url) || !(url.Scheme == "https" || (url.Scheme == "http" && IsLoopback(url))))
                yield return Problem($"Webhook:Targets:{name}:Url", $"\"{target.Url}\" duger inte: en webhook tas emot över https (http bara till den egna datorn, loopback).");
            if (string.IsNullOrWhiteSpace(target.Secret) || target.Secret.Length < 16)
                yield return Problem($"Webhook:Targets:{name}:Secret", "saknas eller är kortare än 16 tecken: varje mottagare har en egen hemlighet att kontrollera signaturen med.");
        }
        if (WebPush.Enabled)
        {
            if (string.IsNullOrWhiteSpace(WebPush.PublicKey) || string.IsNullOrWhiteSpace(WebPush.PrivateKey))
                yield return Problem("WebPush:PublicKey/PrivateKey", "saknas: web push kräver VAPID-nycklar (base64url).");
            if (string.IsNullOrWhiteSpace(WebPush.Subject) || !(WebPush.Subject.StartsWith("mailto:", StringComparison.Ordinal) || WebPush.Subject.StartsWith("https://", StringComparison.Ordinal)))
                yield return Problem("WebPush:Subject", "ska vara mailto:… eller https://… (vem pushtjänsten kan kontakta).");
        }
        for (var i = 0; i < People.Count; i++)
        {
            var person = People[i];
            if (string.IsNullOrWhiteSpace(person.Name))
                yield return Problem($"People:{i}:Name", "saknas: personens namn som i beredskapsschemat.");
            if (person.Email is { } email && !MimeKit.MailboxAddress.TryParse(email, out _))
                yield return Problem($"People:{i}:Email", $"\"{email}\" är ingen e-postadress.");
            if (person.Webhook is { } hook && !Webhook.Targets.ContainsKey(hook))
                yield return Problem($"People:{i}:Webhook", $"\"{hook}\" finns inte bland Webhook:Targets.");
        }
    }

    private static bool IsLoopback(Uri url) => url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static ValidationResult Problem(string setting, string what) => new($"{Section}:{setting} {what}", [setting]);
}
