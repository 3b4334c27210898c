package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;
import java.time.Clock;
import static org.assertj.core.api.Assertions.catchRuntimeException;

import io.piholecheckpoint.core.archive.work.ArchiveWork;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.browse.ContentsService;
import io.piholecheckpoint.core.contents.ArchiveContents;
import io.piholecheckpoint.core.contents.ArchiveReader;
import io.piholecheckpoint.core.contents.ArchiveSettings;
import io.piholecheckpoint.core.contents.Change;
import io.piholecheckpoint.core.contents.ChangesPage;
import io.piholecheckpoint.core.contents.ContentDiff;
import io.piholecheckpoint.core.contents.ListCategory;
import io.piholecheckpoint.core.contents.Page;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.DownloadPolicy;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.RecordingPause;
import io.piholecheckpoint.testing.TestInstances;
import io.piholecheckpoint.testing.TestServices;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BACKUP_DIR full while a backup's contents are read: the scratch copy (gravity.db unpacked, an archive decrypted) cannot be
 * written, which is storage_error (503, "free space"), as README says of every local write, not internal_error (500). The
 * reader stands in for the unpacking with the IOException the JDK throws there on ENOSPC; the answer is the one the API and
 * the pages give (HttpErrors).
 */
class ScratchCopyOnAFullDiskTest {
  @TempDir
  Path backupDir;

  private TestServices s;
  private long backupId;

  /** Fails as Files.copy into the scratch folder fails on a full disk, or with any other message given. */
  private record FailingReader(String message) implements ArchiveReader {
    @Override
    public ArchiveSettings settings(Path archive) throws IOException {
      throw new IOException(message);
    }

    @Override
    public ArchiveContents contents(Path archive, int limit) throws IOException {
      throw new IOException(message);
    }

    @Override
    public Page<?> page(Path archive, ListCategory category, String cursor, int limit) throws IOException {
      throw new IOException(message);
    }

    @Override
    public Map<ListCategory, ContentDiff.Category> listChanges(Path before, Path after, int first) throws IOException {
      throw new IOException(message);
    }

    @Override
    public ChangesPage changes(Path before, Path after, ListCategory category, Change change, String cursor, int limit)
        throws IOException {
      throw new IOException(message);
    }
  }

  @BeforeEach
  void setUp() {
    s = new TestServices(backupDir, MovableClock.ticking());
    s.instances.applyEnvironment(List.of(TestInstances.aDefinition("HOME", "http://pi.hole")));
    Backup backup = s.backups.runBackup(s.instances.list().get(0).id(), Backup.Trigger.MANUAL);
    assertThat(backup.successful()).isTrue();
    backupId = backup.id();
  }

  private ContentsService contents(String failure) {
    return new ContentsService(s.backupRepository, s.instances, new ArchiveDownloader(s.gateway, TestServices.PASSWORD_ONLY, s.archives,
        DownloadPolicy.DEFAULT, new RecordingPause(), Clock.systemUTC()), s.archives, new FailingReader(failure), MovableClock.ticking(), ArchiveWork.unbounded());
  }

  @Test
  void theContentsThePageAndTheDiffOfABackupAnswerStorageErrorSayingToFreeSpace() {
    ContentsService full = contents("No space left on device");

    for (RuntimeException e : List.of(catchRuntimeException(() -> full.contents(backupId)),
        catchRuntimeException(() -> full.page(backupId, ListCategory.DOMAINS, null, 10)),
        catchRuntimeException(() -> full.diff(backupId, backupId)))) {
      HttpErrors.Answer answer = HttpErrors.of(e).orElseThrow(() -> new AssertionError("answered 500", e));
      assertThat(answer.status()).isEqualTo(503);
      assertThat(answer.code()).isEqualTo("storage_error");
      assertThat(answer.message()).isEqualTo("could not write a scratch copy of the archive of backup " + backupId
          + ": No space left on device — free space on the disk of BACKUP_DIR");
    }
  }

  @Test
  void aQuotaCountsAsAFullDiskAndAnyOtherFailureStaysOurs() {
    assertThat(HttpErrors.of(catchRuntimeException(() -> contents("Disk quota exceeded").contents(backupId))))
        .hasValueSatisfying(a -> assertThat(a.code()).isEqualTo("storage_error"));
    assertThat(HttpErrors.of(catchRuntimeException(() -> contents("Stale file handle").contents(backupId)))).isEmpty();
  }
}
