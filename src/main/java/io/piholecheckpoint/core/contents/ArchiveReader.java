package io.piholecheckpoint.core.contents;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads what Teleporter archives hold and how two differ, a page at a time: the heap it needs
 * does not grow with the archive (a gravity.db of a million domains is compared where it lies).
 * Implemented outside the core, next to the archive format.
 */
public interface ArchiveReader {

  ArchiveSettings settings(Path archive) throws IOException;

  /** The first {@code limit} items of every list, with totals, and the settings. */
  ArchiveContents contents(Path archive, int limit) throws IOException;

  /**
   * Items of one list in a stable order, after {@code cursor} (null: from the start).
   *
   * @throws IllegalArgumentException for a cursor this reader did not hand out
   */
  Page<?> page(Path archive, ListCategory category, String cursor, int limit) throws IOException;

  /** From {@code before} to {@code after}: per list the counts and the first {@code first} items of each change (0: counts only). */
  Map<ListCategory, ContentDiff.Category> listChanges(Path before, Path after, int first) throws IOException;

  /** Further items of one change of one list, after {@code cursor} (null: from the start), changed ones with their fields. */
  ChangesPage changes(Path before, Path after, ListCategory category, Change change, String cursor, int limit) throws IOException;

  /**
   * Everything that differs from {@code before} to {@code after}, lists with their first {@code first}
   * items, and by name the other archive entries that differ.
   */
  default ContentDiff diff(Path before, Path after, int first) throws IOException {
    return ContentDiff.of(listChanges(before, after, first), settings(before), settings(after), first)
        .withOtherEntries(OtherEntry.between(before, after));
  }

  /**
   * {@link #diff}, but the lists are not compared: the sides named in {@code withoutGravityDb} hold none (see
   * {@link ContentDiff#withoutLists}).
   */
  default ContentDiff diffWithoutLists(Path before, Path after, int first, List<String> withoutGravityDb) throws IOException {
    return ContentDiff.of(Map.of(), settings(before), settings(after), first).withOtherEntries(OtherEntry.between(before, after))
        .withoutLists(withoutGravityDb);
  }
}
