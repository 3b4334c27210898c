package io.piholecheckpoint.testing;

import io.piholecheckpoint.core.archive.Archive;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.archive.ContentSummary;
import io.piholecheckpoint.core.gateway.PiholeVersions;
import java.time.Instant;

public final class TestBackups {
  public static final ContentSummary SUMMARY = new ContentSummary(2, 2, 1, 0, 1, 1, 0, 1, 1, 1, 10);

  private TestBackups() {
  }

  public static Archive anArchive(String fileName, String contentHash) {
    return new Archive(fileName, 1000, "sha-" + fileName, contentHash, new PiholeVersions("v6.2.2", "v6.4.1", null), SUMMARY, null);
  }

  public static Backup aSuccess(long id, long instanceId, Instant at) {
    return new Backup(id, instanceId, Backup.Status.SUCCESS, Backup.Trigger.SCHEDULED, anArchive("home_" + id + ".zip", "content-" + id),
        null, null, at, at, null, false, false, false, null);
  }

  public static Backup aFailure(long id, long instanceId, Instant at) {
    return new Backup(id, instanceId, Backup.Status.FAILED, Backup.Trigger.SCHEDULED, null, "unreachable", "refused",
        at, at, null, false, false, false, null);
  }

  /** The same record as an uploaded archive. */
  public static Backup imported(Backup b) {
    return new Backup(b.id(), b.instanceId(), b.status(), Backup.Trigger.IMPORTED, b.archive(), b.errorCode(), b.errorMessage(), b.startedAt(),
        b.finishedAt(), b.stillCurrentAt(), b.pinned(), b.suspicious(), b.fileMissing(), b.verifyError());
  }

  public static Backup pinned(Backup b) {
    return new Backup(b.id(), b.instanceId(), b.status(), b.trigger(), b.archive(), b.errorCode(), b.errorMessage(), b.startedAt(),
        b.finishedAt(), b.stillCurrentAt(), true, b.suspicious(), b.fileMissing(), b.verifyError());
  }

  public static Backup suspicious(Backup b) {
    return new Backup(b.id(), b.instanceId(), b.status(), b.trigger(), b.archive(), b.errorCode(), b.errorMessage(), b.startedAt(),
        b.finishedAt(), b.stillCurrentAt(), b.pinned(), true, b.fileMissing(), b.verifyError());
  }
}
