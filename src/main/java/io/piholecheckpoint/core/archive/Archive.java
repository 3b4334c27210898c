package io.piholecheckpoint.core.archive;

import io.piholecheckpoint.core.gateway.PiholeVersions;

/**
 * A verified Teleporter archive on disk.
 *
 * @param contentHash SHA-256 over the archive's content without its noise (entry dates, the
 *     "Last updated" line): equal for two exports of an unchanged Pi-hole
 * @param changes what changed since the instance's previous good backup ("+1 adlist, 2 settings"),
 *     or null when there was none to compare with
 */
public record Archive(
    String fileName,
    long sizeBytes,
    String sha256,
    String contentHash,
    PiholeVersions versions,
    ContentSummary summary,
    String changes) {

  public Archive withChanges(String newChanges) {
    return new Archive(fileName, sizeBytes, sha256, contentHash, versions, summary, newChanges);
  }
}
