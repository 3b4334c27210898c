package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.archive.Archive;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.archive.ContentSummary;
import io.piholecheckpoint.core.gateway.PiholeVersions;
import java.time.Instant;

/**
 * A row of {@code backup}, flat as stored; the archive columns are null for a failed backup.
 * Public only so that MyBatis may call the constructor: for a package-private one it first fails
 * an access check, and pays for an exception with a stack trace on every row.
 */
public record BackupRow(
    long id,
    long instanceId,
    Backup.Status status,
    Backup.Trigger triggerKind,
    String fileName,
    Long sizeBytes,
    String sha256,
    String contentHash,
    String coreVersion,
    String ftlVersion,
    String webVersion,
    Integer groupsCount,
    Integer adlistsCount,
    Integer allowExactCount,
    Integer allowRegexCount,
    Integer denyExactCount,
    Integer denyRegexCount,
    Integer otherDomainsCount,
    Integer clientsCount,
    Integer dnsRecordsCount,
    Integer cnamesCount,
    Integer changedSettingsCount,
    String changeSummary,
    String errorCode,
    String errorMessage,
    Instant startedAt,
    Instant finishedAt,
    Instant stillCurrentAt,
    boolean pinned,
    boolean suspicious,
    boolean fileMissing,
    String verifyError,
    boolean deleting,
    String node,
    boolean accepted) {

  Backup toBackup() {
    Archive archive = fileName == null ? null : new Archive(fileName, sizeBytes, sha256, contentHash,
        new PiholeVersions(coreVersion, ftlVersion, webVersion),
        new ContentSummary(n(groupsCount), n(adlistsCount), n(allowExactCount), n(allowRegexCount), n(denyExactCount),
            n(denyRegexCount), n(otherDomainsCount), n(clientsCount), n(dnsRecordsCount), n(cnamesCount), n(changedSettingsCount)), changeSummary);
    return new Backup(id, instanceId, status, triggerKind, archive, errorCode, errorMessage, startedAt, finishedAt,
        stillCurrentAt, pinned, suspicious, fileMissing, verifyError, deleting, node, accepted);
  }

  private static int n(Integer value) {
    return value == null ? 0 : value;
  }
}
