package io.piholecheckpoint.core.restore.parts;

/** How much of a backup a restore brings back. */
public enum RestoreMode {
  /** Groups, adlists, domains and clients (the gravity tables); settings untouched. */
  LISTS("lists", "Groups, adlists, domains and clients; settings stay as they are."),
  /** As LISTS, plus the local DNS records and CNAMEs. The default. */
  LISTS_AND_DNS("lists-and-dns", "Lists as above, plus the local DNS records and CNAMEs."),
  /** As LISTS_AND_DNS, plus every other setting except this Pi-hole's identity (passwords, web server, interface). */
  ALL_BUT_IDENTITY("all-but-identity", "Everything but this Pi-hole's passwords, web server and network interface."),
  /** A full Teleporter import: the Pi-hole's password becomes the one it had when the backup was taken. */
  EXACT("exact", "A full import — the Pi-hole's password, app password and 2FA become those of the backup's time."),
  /** The parts a person ticks. */
  CUSTOM("custom", "Only the parts you tick. Identity is the whole pihole.toml (Teleporter cannot import part of it): every setting and"
      + " the local DNS come with it.");

  private final String id;
  private final String explanation;

  RestoreMode(String id, String explanation) {
    this.id = id;
    this.explanation = explanation;
  }

  public String id() {
    return id;
  }

  public String explanation() {
    return explanation;
  }

  public static RestoreMode of(String id) {
    for (RestoreMode m : values()) {
      if (m.id.equals(id)) {
        return m;
      }
    }
    throw new IllegalArgumentException("mode must be one of lists, lists-and-dns, all-but-identity, exact, custom");
  }
}
