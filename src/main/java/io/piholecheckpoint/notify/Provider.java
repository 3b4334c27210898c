package io.piholecheckpoint.notify;

/** A service that carries notifications: Discord, Telegram, e-mail … */
public interface Provider {
  /** Short lower-case name for logs, metrics and the settings page: discord, telegram, email … */
  String name();

  /** Sends it, retrying what may pass on a second try; never throws. */
  Outbound.Result deliver(Notification notification);
}
