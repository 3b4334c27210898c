package io.piholecheckpoint.core.backup;

/**
 * A verified Teleporter archive on disk.
 *
 * @param contentHash SHA-256 over the archive's content without its noise (entry dates, the
 *     "Last updated" line): equal for two exports of an unchanged Pi-hole
 */
public record Archive(
    String fileName,
    long sizeBytes,
    String sha256,
    String contentHash,
    PiholeVersions versions,
    ContentSummary summary) {
}
