package io.piholecheckpoint.core.contents;

/**
 * What a Teleporter archive would restore, without the noise that differs between exports
 * (ids, entry dates): the first page of each list with its total, and the settings.
 */
public record ArchiveContents(Page<Group> groups, Page<Adlist> adlists, Page<Domain> domains, Page<Client> clients, ArchiveSettings config) {

  public record Group(String name, boolean enabled, String description) {
  }

  /** @param type "block" or "allow" */
  public record Adlist(String address, String type, boolean enabled, java.util.List<String> groups, String comment) {
  }

  /** @param kind "allow" or "deny"; @param match "exact" or "regex" */
  public record Domain(String domain, String kind, String match, boolean enabled, java.util.List<String> groups, String comment) {
  }

  public record Client(String client, java.util.List<String> groups, String comment) {
  }

  /**
   * Values of these keys are never shown, only whether they changed: the password hashes, the 2FA seed and a password
   * (pihole.toml's {@code webserver.api.*}). {@code webserver.tls.cert} is the path of the certificate file and
   * {@code webserver.tls.validity} a number of days: shown, as they were masked for their section alone.
   */
  public static boolean secret(String key) {
    return key.endsWith("pwhash") || key.endsWith("totp_secret") || key.endsWith("password");
  }

  /** How a secret that holds a value is shown. */
  public static final String MASK = "(secret)";
  /** How an empty secret is shown: "2FA is off" is no secret, and "(secret)" would say it is on. */
  public static final String UNSET = "(not set)";
  /** How a secret that holds another value than before is shown. */
  public static final String CHANGED = "(changed)";
}
