package io.piholecheckpoint.core.contents;

import java.util.List;
import java.util.Map;

/**
 * What a Teleporter archive would restore, without the noise that differs between exports
 * (ids, entry dates). Secrets in {@code settings} are already masked.
 *
 * @param settings every key of pihole.toml but the local DNS ones, as dotted path → value (JSON text)
 * @param changedSettings the keys FTL marked as differing from their defaults
 */
public record ArchiveContents(
    List<Group> groups,
    List<Adlist> adlists,
    List<Domain> domains,
    List<Client> clients,
    List<String> dnsRecords,
    List<String> cnames,
    Map<String, String> settings,
    List<String> changedSettings) {

  public record Group(String name, boolean enabled, String description) {
  }

  /** @param type "block" or "allow" */
  public record Adlist(String address, String type, boolean enabled, List<String> groups, String comment) {
  }

  /** @param kind "allow" or "deny"; @param match "exact" or "regex" */
  public record Domain(String domain, String kind, String match, boolean enabled, List<String> groups, String comment) {
  }

  public record Client(String client, List<String> groups, String comment) {
  }

  /** Values of these keys are never shown, only whether they changed. */
  public static boolean secret(String key) {
    return key.endsWith("pwhash") || key.endsWith("totp_secret") || key.endsWith("password") || key.contains(".tls.");
  }

  public static final String MASK = "(secret)";
}
