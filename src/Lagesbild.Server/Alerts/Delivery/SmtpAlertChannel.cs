using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Lagesbild.Server.Alerts.Delivery;

/// <summary>
/// E-mail over SMTP (MailKit). Delivered means the server accepted the message (250 after DATA); a 5xx for the address
/// is a permanently bad address; a refused connection, a timeout or a 4xx are tried again. The Message-Id is made from
/// the outbox item's key, so a resend after a crash at the wrong moment can be recognised by the receiver.
/// </summary>
public sealed class SmtpAlertChannel(IOptions<AlertChannelOptions> options) : IAlertChannel
{
    public string Name => "smtp";

    private SmtpChannelOptions Smtp => options.Value.Smtp;

    public ValueTask<bool> ReachesAsync(string person, CancellationToken cancel) =>
        ValueTask.FromResult(Smtp.Enabled && options.Value.AddressOf(person)?.Email is { Length: > 0 });

    public async Task<DeliveryOutcome> SendAsync(AlertDelivery delivery, CancellationToken cancel)
    {
        if (options.Value.AddressOf(delivery.Person)?.Email is not { Length: > 0 } email)
            return DeliveryOutcome.Unreachable("ingen e-postadress");
        var message = new MimeMessage
        {
            Subject = delivery.Message.Subject,
            MessageId = MessageId(delivery.Key),
            Body = new TextPart("plain") { Text = delivery.Message.Body(delivery.Wave) },
        };
        message.From.Add(MailboxAddress.Parse(Smtp.From!));
        message.To.Add(new MailboxAddress(delivery.Person, email));
        message.Headers.Add("X-Lagesbild-Alert", delivery.Message.Alert);
        using var client = new SmtpClient { Timeout = options.Value.SendTimeoutSeconds * 1000 };
        try
        {
            await client.ConnectAsync(Smtp.Host!, Smtp.Port, Smtp.Socket, cancel);
            if (!string.IsNullOrEmpty(Smtp.UserName))
                await client.AuthenticateAsync(Smtp.UserName, Smtp.Password ?? "", cancel);
            var answer = await client.SendAsync(message, cancel);
            await DisconnectQuietlyAsync(client);
            return DeliveryOutcome.Delivered(answer);
        }
        catch (SmtpCommandException refused) when ((int)refused.StatusCode >= 500 && refused.ErrorCode is SmtpErrorCode.RecipientNotAccepted)
        {
            return DeliveryOutcome.Unreachable($"e-postservern tar inte emot adressen: {(int)refused.StatusCode} {refused.Message}");
        }
        catch (SmtpCommandException refused)
        {
            return DeliveryOutcome.Retry($"e-postservern svarade {(int)refused.StatusCode} {refused.Message}");
        }
        catch (Exception error) when (error is SocketException or IOException or SmtpProtocolException or ServiceNotConnectedException or TimeoutException or MailKit.Security.SslHandshakeException)
        {
            return DeliveryOutcome.Retry($"e-postservern nås inte: {error.Message}");
        }
    }

    /// <summary>The mail's Message-Id: the same for every try of one outbox item.</summary>
    public static string MessageId(string key) =>
        $"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 16))}@lagesbild";

    private static async Task DisconnectQuietlyAsync(SmtpClient client)
    {
        try
        {
            await client.DisconnectAsync(true, CancellationToken.None);
        }
        catch (Exception)
        {
            // The message was accepted; a QUIT that fails changes nothing.
        }
    }
}
