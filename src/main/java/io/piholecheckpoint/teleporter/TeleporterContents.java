package io.piholecheckpoint.teleporter;

import io.piholecheckpoint.core.contents.ArchiveContents;
import io.piholecheckpoint.core.contents.ArchiveReader;
import io.piholecheckpoint.core.contents.ArchiveSettings;
import io.piholecheckpoint.core.contents.Change;
import io.piholecheckpoint.core.contents.ContentDiff;
import io.piholecheckpoint.core.contents.ListCategory;
import io.piholecheckpoint.core.contents.Page;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What Teleporter archives hold and how two differ: settings from pihole.toml, lists paged and
 * compared inside SQLite on read-only copies of gravity.db, so a million domains need no more
 * heap than five.
 */
public final class TeleporterContents implements ArchiveReader {
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
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      ArchiveSettings settings = config.read(zip);
      Map<ListCategory, Page<Object>> pages = lists(zip, db -> {
        Map<ListCategory, Page<Object>> read = new EnumMap<>(ListCategory.class);
        for (GravityTable table : GravityTable.values()) {
          read.put(table.category, GravityPages.read(db, table, null, limit));
        }
        return read;
      }, Map.of());
      return new ArchiveContents((Page) pages.getOrDefault(ListCategory.GROUPS, Page.empty()), (Page) pages.getOrDefault(ListCategory.ADLISTS, Page.empty()),
          (Page) pages.getOrDefault(ListCategory.DOMAINS, Page.empty()), (Page) pages.getOrDefault(ListCategory.CLIENTS, Page.empty()), settings);
    }
  }

  @Override
  public Page<?> page(Path archive, ListCategory category, String cursor, int limit) throws IOException {
    Cursor after = cursor == null ? null : Cursor.decode(cursor);
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      return lists(zip, db -> GravityPages.read(db, GravityTable.of(category), after, limit), Page.empty());
    }
  }

  @Override
  public Map<ListCategory, ContentDiff.Category> listChanges(Path before, Path after, int first) throws IOException {
    try (ZipFile older = new ZipFile(before.toFile()); ZipFile newer = new ZipFile(after.toFile())) {
      return GravityPair.compare(older, newer, db -> {
        Map<ListCategory, ContentDiff.Category> categories = new EnumMap<>(ListCategory.class);
        for (GravityTable table : GravityTable.values()) {
          categories.put(table.category, GravityDiff.category(db, table, first));
        }
        return categories;
      });
    }
  }

  @Override
  public Page<String> changes(Path before, Path after, ListCategory category, Change change, String cursor, int limit) throws IOException {
    Cursor from = cursor == null ? null : Cursor.decode(cursor);
    try (ZipFile older = new ZipFile(before.toFile()); ZipFile newer = new ZipFile(after.toFile())) {
      return GravityPair.compare(older, newer, db -> GravityDiff.changes(db, GravityTable.of(category), change, from, limit));
    }
  }

  private static <T> T lists(ZipFile zip, java.util.function.Function<java.sql.Connection, T> reader, T none) throws IOException {
    ZipEntry gravity = zip.getEntry(TeleporterInspector.GRAVITY);
    return gravity == null ? none : GravityDatabase.withCopy(zip, gravity, reader);
  }
}
