package io.piholecheckpoint.core.contents;

import java.util.List;
import java.util.Map;

/**
 * What an archive's pihole.toml holds: small (its size is capped), so it is compared in memory.
 * Secrets in {@code settings} are already masked; {@code secrets} lets two archives' secrets be
 * compared without holding them.
 *
 * @param settings every key but the local DNS ones, as dotted path → value (JSON text)
 * @param changedSettings the keys FTL marked as differing from their defaults
 * @param secrets the secret settings' digests: never rendered or serialised
 */
public record ArchiveSettings(List<String> dnsRecords, List<String> cnames, Map<String, String> settings, List<String> changedSettings,
                              SecretDigests secrets) {
}
