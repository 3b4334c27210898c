package io.piholecheckpoint.teleporter;

import io.piholecheckpoint.core.contents.ArchiveContents;
import io.piholecheckpoint.core.contents.ArchiveReader;
import io.piholecheckpoint.core.contents.ArchiveSettings;
import io.piholecheckpoint.core.contents.Change;
import io.piholecheckpoint.core.contents.ContentDiff;
import io.piholecheckpoint.core.contents.Cursor;
import io.piholecheckpoint.core.contents.ListCategory;
import io.piholecheckpoint.core.contents.Page;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Teleporter archives hold and how two differ: settings from pihole.toml, lists paged and
 * compared inside SQLite on each archive's {@link ListIndex} (built once from its checked
 * gravity.db, kept by {@link ListIndexes}), so a million domains need no more heap than five and
 * a page or a diff needs no sort.
 */
public final class TeleporterContents implements ArchiveReader {
  private static final Logger log = LoggerFactory.getLogger(TeleporterContents.class);
  private final TeleporterContentsReader config = new TeleporterContentsReader();

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
    return withIndexes(before, after, db -> {
      Map<ListCategory, ContentDiff.Category> categories = new EnumMap<>(ListCategory.class);
      for (GravityTable table : GravityTable.values()) {
        categories.put(table.category, IndexDiff.compute(db, table) ? GravityDiff.summary(db, table, first) : ContentDiff.Category.NONE);
      }
      return categories;
    });
  }

  @Override
  public Page<String> changes(Path before, Path after, ListCategory category, Change change, String cursor, int limit) throws IOException {
    GravityTable table = GravityTable.of(category);
    Cursor from = cursor == null ? null : Cursor.decode(cursor, GravityDiff.scope(table, change));
    return withIndexes(before, after, db -> IndexDiff.compute(db, table) ? GravityDiff.changes(db, table, change, from, limit) : Page.empty());
  }

  private static <T> T withIndex(Path archive, IndexReader<T> reader) throws IOException {
    return withIndexes(archive, null, reader);
  }

  /**
   * Reads {@code before}'s {@link ListIndex} as main and, given {@code after}, its index attached as
   * {@value GravityDiff#NEWER}. Indexes SQLite cannot read are deleted and rebuilt from the archives once.
   */
  private static <T> T withIndexes(Path before, Path after, IndexReader<T> reader) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path older = ListIndexes.of(before);
      Path newer = after == null ? null : ListIndexes.of(after);
      try (Connection db = ListIndex.open(older)) {
        return newer == null ? reader.read(db) : attached(db, newer, reader);
      } catch (SQLException e) {
        Files.deleteIfExists(older);
        if (newer != null) {
          Files.deleteIfExists(newer);
        }
        if (attempt > 0) {
          throw new IOException("the list index built from " + before.getFileName() + " cannot be read: " + e.getMessage(), e);
        }
        log.warn("A list index could not be read ({}): rebuilding it from the archive", e.getMessage());
      }
    }
  }

  private static <T> T attached(Connection db, Path newer, IndexReader<T> reader) throws SQLException {
    try (PreparedStatement attach = db.prepareStatement("ATTACH DATABASE ? AS " + GravityDiff.NEWER)) {
      attach.setString(1, newer.toString());
      attach.execute();
    }
    try {
      return reader.read(db);
    } finally {
      try (Statement s = db.createStatement()) {
        s.execute("DROP TABLE IF EXISTS temp.diff");
        s.execute("DETACH DATABASE " + GravityDiff.NEWER);
      }
    }
  }

  private interface IndexReader<T> {
    T read(Connection db) throws SQLException;
  }
}
