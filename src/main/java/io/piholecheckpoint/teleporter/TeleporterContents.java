package io.piholecheckpoint.teleporter;

import io.piholecheckpoint.core.contents.ArchiveContents;
import io.piholecheckpoint.core.contents.ArchiveReader;
import io.piholecheckpoint.core.contents.ArchiveSettings;
import io.piholecheckpoint.core.contents.Change;
import io.piholecheckpoint.core.contents.ChangesPage;
import io.piholecheckpoint.core.contents.ContentDiff;
import io.piholecheckpoint.core.contents.Cursor;
import io.piholecheckpoint.core.contents.ListCategory;
import io.piholecheckpoint.core.contents.Page;
import io.piholecheckpoint.core.archive.FileDigests;
import io.piholecheckpoint.core.archive.scratch.ScratchDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Teleporter archives hold and how two differ: settings from pihole.toml, lists paged and
 * compared inside SQLite on each archive's {@link ListIndex} (built once from its checked
 * gravity.db, kept by {@link ListIndexes}), so a million domains need no more heap than five and
 * a page or a diff needs no sort; a large diff is computed once and kept ({@link DiffCaches}), so
 * each of its pages is an indexed read.
 */
public final class TeleporterContents implements ArchiveReader {
  private static final Logger log = LoggerFactory.getLogger(TeleporterContents.class);
  /** Diffs of at least this many changes are kept (see {@link DiffCaches}); fewer are compared again when asked for. */
  static final long KEEP_DIFFS_FROM = 1_000;
  private final TeleporterContentsReader config = new TeleporterContentsReader();
  private final long keepDiffsFrom;
  /** An archive is hashed to find its index: once, not at every page (see {@link FileDigests}). */
  private final FileDigests digests;

  /** @param clock the composition root's: how long an archive's digest is trusted (see {@link FileDigests#MAX_AGE}) */
  public TeleporterContents(Clock clock) {
    this(clock, KEEP_DIFFS_FROM);
  }

  /** With {@code keepDiffsFrom} 0 every diff is kept: tests read kept diffs of any size. */
  TeleporterContents(Clock clock, long keepDiffsFrom) {
    this.digests = new FileDigests(clock, FileDigests.MAX_AGE);
    this.keepDiffsFrom = keepDiffsFrom;
  }

  @Override
  public ArchiveSettings settings(Path archive) throws IOException {
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      return config.read(zip);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public ArchiveContents contents(Path archive, int limit) throws IOException {
    ArchiveSettings settings = settings(archive);
    Map<ListCategory, Page<Object>> pages = withIndex(archive, db -> {
      Map<ListCategory, Page<Object>> read = new EnumMap<>(ListCategory.class);
      for (GravityTable table : GravityTable.values()) {
        read.put(table.category, IndexPages.read(db, table, null, limit));
      }
      return read;
    });
    return new ArchiveContents((Page) pages.get(ListCategory.GROUPS), (Page) pages.get(ListCategory.ADLISTS), (Page) pages.get(ListCategory.DOMAINS),
        (Page) pages.get(ListCategory.CLIENTS), settings);
  }

  @Override
  public Page<?> page(Path archive, ListCategory category, String cursor, int limit) throws IOException {
    GravityTable table = GravityTable.of(category);
    Cursor after = cursor == null ? null : Cursor.decode(cursor, IndexPages.scope(table));
    return withIndex(archive, db -> IndexPages.read(db, table, after, limit));
  }

  @Override
  public Map<ListCategory, ContentDiff.Category> listChanges(Path before, Path after, int first) throws IOException {
    return withDiff(before, after, (db, reversed) -> {
      Map<ListCategory, ContentDiff.Category> categories = new EnumMap<>(ListCategory.class);
      for (GravityTable table : GravityTable.values()) {
        categories.put(table.category, GravityDiff.summary(db, reversed, table, first));
      }
      return categories;
    });
  }

  @Override
  public ChangesPage changes(Path before, Path after, ListCategory category, Change change, String cursor, int limit) throws IOException {
    GravityTable table = GravityTable.of(category);
    Cursor from = cursor == null ? null : Cursor.decode(cursor, GravityDiff.scope(table, change));
    return withDiff(before, after, (db, reversed) -> GravityDiff.changes(db, reversed, table, change, from, limit));
  }

  /** Reads {@code archive}'s {@link ListIndex}. One SQLite cannot read is deleted and rebuilt from the archive once. */
  private <T> T withIndex(Path archive, IndexReader<T> reader) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path index = ListIndexes.of(archive, digests).index();
      try (Connection db = ListIndex.open(index)) {
        return reader.read(db);
      } catch (SQLException e) {
        Files.deleteIfExists(index);
        if (attempt > 0) {
          throw new IOException("the list index built from " + archive.getFileName() + " cannot be read: " + e.getMessage(), e);
        }
        log.warn("A list index could not be read ({}): rebuilding it from the archive", e.getMessage());
      }
    }
  }

  /**
   * Reads the difference of the lists of two archives as {@link DiffCaches} keeps it (in either
   * direction), computed from their {@link ListIndex}es when it is not kept yet: a kept diff is found
   * by the archives' digests alone, so its pages need neither index. A kept diff SQLite cannot read
   * is deleted and computed again once; indexes that fail while computing it are deleted and rebuilt once.
   */
  private <T> T withDiff(Path before, Path after, DiffReader<T> reader) throws IOException {
    ScratchDirectory scratch = ScratchDirectory.beside(before);
    for (int attempt = 0; ; attempt++) {
      String older = digests.sha256(before);
      String newer = digests.sha256(after);
      DiffCaches.Kept kept = DiffCaches.find(scratch, older, newer);
      try {
        if (kept == null) {
          return computed(scratch, ListIndexes.of(before, digests), ListIndexes.of(after, digests), reader);
        }
        try (Connection db = ListIndex.open(kept.file())) {
          return reader.read(db, kept.reversed());
        }
      } catch (SQLException e) {
        if (kept == null) {
          Files.deleteIfExists(scratch.diff(older, newer));
          Files.deleteIfExists(ScratchDirectory.beside(before).listIndex(older));
          Files.deleteIfExists(ScratchDirectory.beside(after).listIndex(newer));
        } else {
          Files.deleteIfExists(kept.file());
        }
        if (attempt > 0) {
          throw new IOException("the lists of " + before.getFileName() + " and " + after.getFileName() + " cannot be compared: " + e.getMessage(), e);
        }
        log.warn("A list index or kept diff could not be read ({}): building it again", e.getMessage());
      }
    }
  }

  /**
   * Compares the two indexes into a new file. A diff of fewer than {@link #keepDiffsFrom} changes is
   * read from it and dropped (comparing again costs less than a synced file: a backup of a small
   * Pi-hole writes nothing more); a larger one is kept, so later pages read it instead of comparing.
   */
  private <T> T computed(ScratchDirectory scratch, ListIndexes.Indexed older, ListIndexes.Indexed newer, DiffReader<T> reader)
      throws IOException, SQLException {
    Path filled = scratch.createFile("diff-", ".db");
    try {
      try (Connection db = ListIndex.create(filled)) {
        if (DiffCaches.fill(db, older, newer) < keepDiffsFrom) {
          return reader.read(db, false);
        }
      }
      Path kept;
      try {
        kept = DiffCaches.keep(scratch, filled, older, newer);
      } catch (IOException e) {
        // a full disk costs the next request a new comparison, not this answer
        log.warn("A diff of two archives could not be kept in {} ({}): it is computed again when asked for; check the free space of BACKUP_DIR",
            scratch.path(), e.getMessage());
        kept = Files.exists(filled) ? filled : scratch.diff(older.digest(), newer.digest());
      }
      try (Connection db = ListIndex.open(kept)) {
        return reader.read(db, false);
      }
    } finally {
      ScratchDirectory.release(filled);
    }
  }

  private interface IndexReader<T> {
    T read(Connection db) throws SQLException;
  }

  /** Reads a diff's rows; {@code reversed}: they were stored in the other direction (see {@link GravityDiff}). */
  private interface DiffReader<T> {
    T read(Connection db, boolean reversed) throws SQLException;
  }
}
