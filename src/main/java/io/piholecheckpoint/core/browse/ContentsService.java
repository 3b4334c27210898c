package io.piholecheckpoint.core.browse;

import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.work.ArchiveWork;
import io.piholecheckpoint.core.archive.BackupNotFoundException;
import io.piholecheckpoint.core.archive.GravityEntry;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.contents.ArchiveContents;
import io.piholecheckpoint.core.contents.ArchiveReader;
import io.piholecheckpoint.core.contents.Change;
import io.piholecheckpoint.core.contents.ChangesPage;
import io.piholecheckpoint.core.contents.ContentDiff;
import io.piholecheckpoint.core.contents.Cursor;
import io.piholecheckpoint.core.contents.ListCategory;
import io.piholecheckpoint.core.contents.LocalDnsList;
import io.piholecheckpoint.core.contents.Page;
import io.piholecheckpoint.core.contents.TextPages;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What backups hold, and how they differ from each other and from a Pi-hole as it is now: first
 * pages and totals, further pages on request, so no answer grows with the archive. Every cursor
 * handed out is {@link Cursor#bind bound} to its backup (or pair of backups), so a cursor of
 * another backup is refused rather than paging this one from somewhere else.
 */
public class ContentsService {
  private final BackupRepository backups;
  private final InstanceService instances;
  private final ArchiveDownloader downloader;
  private final ArchiveStore archives;
  private final ArchiveReader reader;
  private final Clock clock;
  private final ArchiveWork work;

  /** @param work taken around each whole answer, so that decrypted copies and live exports count too */
  public ContentsService(BackupRepository backups, InstanceService instances, ArchiveDownloader downloader, ArchiveStore archives, ArchiveReader reader, Clock clock,
      ArchiveWork work) {
    this.work = work;
    this.backups = backups;
    this.instances = instances;
    this.downloader = downloader;
    this.archives = archives;
    this.reader = reader;
    this.clock = clock;
  }

  public ArchiveContents contents(long backupId) {
    Backup backup = successful(backupId);
    try (ArchiveWork.Permit permit = work.take(); ArchiveStore.PlainArchive plain = archives.openToShow(backup.archive().fileName())) {
      ArchiveContents c = reader.contents(plain.path(), Page.DEFAULT_SIZE);
      String owner = owner(backupId);
      return new ArchiveContents(bound(c.groups(), owner), bound(c.adlists(), owner), bound(c.domains(), owner), bound(c.clients(), owner),
          c.config());
    } catch (IOException e) {
      throw unreadable(backup, e);
    }
  }

  /** @throws IllegalArgumentException for a cursor not handed out by an earlier page */
  public Page<?> page(long backupId, ListCategory category, String cursor, int limit) {
    Backup backup = successful(backupId);
    try (ArchiveWork.Permit permit = work.take(); ArchiveStore.PlainArchive plain = archives.openToShow(backup.archive().fileName())) {
      return bound(reader.page(plain.path(), category, Cursor.unbind(cursor, owner(backupId)), limit), owner(backupId));
    } catch (IOException e) {
      throw unreadable(backup, e);
    }
  }

  /** From {@code backupId} to {@code otherId}: what restoring {@code otherId} over {@code backupId}'s state would change. */
  public ContentDiff diff(long backupId, long otherId) {
    Backup before = successful(backupId);
    Backup after = successful(otherId);
    try (ArchiveWork.Permit permit = work.take(); ArchiveStore.PlainArchive older = archives.openToShow(before.archive().fileName());
         ArchiveStore.PlainArchive newer = archives.openToShow(after.archive().fileName())) {
      return bound(compared(older.path(), name(before), newer.path(), name(after)), owner(backupId, otherId));
    } catch (IOException e) {
      throw unreadable(before, e);
    }
  }

  /** Further items of one change of one list between two backups, in the direction of {@link #diff}, changed ones with their fields. */
  public ChangesPage changes(long backupId, long otherId, ListCategory category, Change change, String cursor, int limit) {
    Backup before = successful(backupId);
    Backup after = successful(otherId);
    try (ArchiveWork.Permit permit = work.take(); ArchiveStore.PlainArchive older = archives.openToShow(before.archive().fileName());
         ArchiveStore.PlainArchive newer = archives.openToShow(after.archive().fileName())) {
      List<String> listless = withoutGravityDb(older.path(), name(before), newer.path(), name(after));
      if (!listless.isEmpty()) {
        // every item of the list would page as removed (or added): unknown, as the diff says
        throw new BackupConflictException(ContentDiff.listsNotCompared(listless));
      }
      String owner = owner(backupId, otherId);
      return bound(reader.changes(older.path(), newer.path(), category, change, Cursor.unbind(cursor, owner), limit), owner);
    } catch (IOException e) {
      throw unreadable(before, e);
    }
  }

  /** Further lines of one change of a local DNS list between two backups, in the direction of {@link #diff}. */
  public ChangesPage localDnsChanges(long backupId, long otherId, LocalDnsList list, Change change, String cursor, int limit) {
    Backup before = successful(backupId);
    Backup after = successful(otherId);
    try (ArchiveWork.Permit permit = work.take(); ArchiveStore.PlainArchive older = archives.openToShow(before.archive().fileName());
         ArchiveStore.PlainArchive newer = archives.openToShow(after.archive().fileName())) {
      List<String> lines = ContentDiff.changes(list.of(reader.settings(older.path())), list.of(reader.settings(newer.path())), change);
      String owner = owner(backupId, otherId);
      return ChangesPage.of(bound(TextPages.page(lines, list.scope(change), Cursor.unbind(cursor, owner), limit), owner));
    } catch (IOException e) {
      throw unreadable(before, e);
    }
  }

  /**
   * From the Pi-hole's live state (a fresh export, discarded afterwards) to the backup: what a
   * full restore of it would change. Only first pages: the export is gone once this answers.
   */
  public ContentDiff diffAgainstLive(long backupId, long instanceId) {
    Backup backup = successful(backupId);
    PiholeInstance instance = instances.findCurrent(instanceId); // a removed one's stale URL is not contacted
    return work.run(() -> downloader.withLiveExport(instance, clock.instant(), live -> {
      try (ArchiveStore.PlainArchive plain = archives.openToShow(backup.archive().fileName())) {
        return compared(live, "the Pi-hole's export now", plain.path(), name(backup));
      }
    }));
  }

  /**
   * The diff of two archives; the lists compared only when both hold a gravity.db: one without holds no lists, and its
   * diff would count every list entry of the other as removed (or added), a loss no archive shows.
   */
  private ContentDiff compared(Path before, String beforeName, Path after, String afterName) throws IOException {
    List<String> listless = withoutGravityDb(before, beforeName, after, afterName);
    return listless.isEmpty() ? reader.diff(before, after, Page.DEFAULT_SIZE) : reader.diffWithoutLists(before, after, Page.DEFAULT_SIZE, listless);
  }

  /** The names of those of the two archives that hold no gravity.db (read from each ZIP's central directory). */
  private static List<String> withoutGravityDb(Path before, String beforeName, Path after, String afterName) throws IOException {
    List<String> listless = new java.util.ArrayList<>();
    if (!GravityEntry.in(before)) {
      listless.add(beforeName);
    }
    if (!GravityEntry.in(after)) {
      listless.add(afterName);
    }
    return listless;
  }

  private static String name(Backup backup) {
    return "backup " + backup.id();
  }

  private static String owner(long backupId) {
    return "backup:" + backupId;
  }

  private static String owner(long backupId, long otherId) {
    return "diff:" + backupId + ":" + otherId;
  }

  private static <T> Page<T> bound(Page<T> page, String owner) {
    return new Page<>(page.total(), page.items(), Cursor.bind(page.next(), owner));
  }

  private static ChangesPage bound(ChangesPage page, String owner) {
    return new ChangesPage(page.total(), page.items(), Cursor.bind(page.next(), owner), page.fields());
  }

  private static ContentDiff bound(ContentDiff diff, String owner) {
    Map<String, ContentDiff.Category> categories = new LinkedHashMap<>();
    diff.categories().forEach((name, c) -> categories.put(name, new ContentDiff.Category(c.added(), c.removed(), c.changed(), c.addedTotal(),
        c.removedTotal(), c.changedTotal(), c.next() == null ? null : new ContentDiff.Next(Cursor.bind(c.next().added(), owner),
        Cursor.bind(c.next().removed(), owner), Cursor.bind(c.next().changed(), owner)), c.fields())));
    return new ContentDiff(categories, diff.settings(), diff.otherEntries(), diff.listsNotCompared());
  }

  private Backup successful(long backupId) {
    Backup backup = backups.findById(backupId).orElseThrow(() -> new BackupNotFoundException("no backup with id " + backupId));
    if (!backup.successful()) {
      throw new BackupNotFoundException("backup " + backupId + " failed and has no archive");
    }
    return backup;
  }

  /** A full disk under a scratch copy is a storage failure (503 storage_error), not a fault of ours (500). */
  private static RuntimeException unreadable(Backup backup, IOException e) {
    return ArchiveStorageException.ifOutOfSpace("a scratch copy of the archive of backup " + backup.id(), e)
        .<RuntimeException>map(full -> full).orElseGet(() -> new UncheckedIOException("could not read the archive of backup " + backup.id(), e));
  }
}
