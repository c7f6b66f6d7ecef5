using MailKit.Security;

namespace Lagesbild.Server.Alerts.Delivery;

/// <summary>The e-mail channel (<c>Lagesbild:Alerts:Channels:Smtp</c>): the city's SMTP relay.</summary>
public sealed class SmtpChannelOptions
{
    public bool Enabled { get; set; }
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;
    public string? From { get; set; }
    public string? UserName { get; set; }
    public string? Password { get; set; }

    public SecureSocketOptions Socket => Security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };
}

public enum SmtpSecurity
{
    None,
    StartTls,
    SslOnConnect,
}
