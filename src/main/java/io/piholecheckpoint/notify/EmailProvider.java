package io.piholecheckpoint.notify;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Date;
import java.util.Properties;

/** E-mail over SMTP with Angus Mail (NOTIFY_EMAIL_*): plain text, STARTTLS, implicit TLS or neither. */
final class EmailProvider implements Provider {
  /** How the connection is protected: STARTTLS (port 587), TLS (465), or NONE (a relay on the LAN). */
  enum Security { STARTTLS, TLS, NONE }

  /** The SMTP settings; {@code user} null for a relay without login. */
  record Settings(String host, int port, Security security, String user, String password, String from, String to) {
  }

  private final Settings settings;
  private final Session session;

  EmailProvider(Settings settings) {
    this.settings = settings;
    Properties p = new Properties();
    p.put("mail.smtp.host", settings.host());
    p.put("mail.smtp.port", Integer.toString(settings.port()));
    p.put("mail.smtp.connectiontimeout", "15000");
    p.put("mail.smtp.timeout", "15000");
    p.put("mail.smtp.writetimeout", "15000");
    p.put("mail.smtp.auth", Boolean.toString(settings.user() != null));
    if (settings.security() == Security.STARTTLS) {
      p.put("mail.smtp.starttls.enable", "true");
      p.put("mail.smtp.starttls.required", "true");
    } else if (settings.security() == Security.TLS) {
      p.put("mail.smtp.ssl.enable", "true");
    }
    p.put("mail.smtp.ssl.checkserveridentity", "true");
    this.session = Session.getInstance(p, settings.user() == null ? null : new Authenticator() {
      @Override
      protected PasswordAuthentication getPasswordAuthentication() {
        return new PasswordAuthentication(settings.user(), settings.password());
      }
    });
  }

  @Override
  public String name() {
    return "email";
  }

  @Override
  public Outbound.Result deliver(Notification n) {
    try {
      MimeMessage message = new MimeMessage(session);
      message.setFrom(new InternetAddress(settings.from()));
      message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(settings.to()));
      message.setSubject("[Pi-hole Checkpoint] " + n.title(), "UTF-8");
      message.setText(n.message() + "\n\n— Pi-hole Checkpoint, " + n.at(), "UTF-8");
      message.setSentDate(Date.from(n.at()));
      Transport.send(message);
      return new Outbound.Result(true, 250, null, 1);
    } catch (MessagingException e) {
      return new Outbound.Result(false, 0, "SMTP " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), 1);
    }
  }
}
