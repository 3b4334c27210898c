package io.piholecheckpoint.teleporter;

import static org.assertj.core.api.Assertions.assertThat;
import java.time.Clock;

import io.piholecheckpoint.core.archive.scratch.ScratchDirectory;
import io.piholecheckpoint.core.contents.Change;
import io.piholecheckpoint.core.contents.ListCategory;
import io.piholecheckpoint.core.contents.Page;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.LargeArchives;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A large diff is computed once and kept in the scratch folder; its pages are read from the kept
 * file, every change once in natural order; a kept file that is cut short, damaged, grown, of
 * another format version or of other archives is never trusted but built again; few are kept.
 */
class DiffCacheTest {
  /** base has d1…d100, added d1…d1600: 1,500 domains added, more than a kept diff needs. */
  private static final int ADDED = 1500;
  private final TeleporterContents reader = new TeleporterContents(Clock.systemUTC());

  @TempDir
  Path dir;
  private Path base;
  private Path added;

  @BeforeEach
  void archives() throws Exception {
    base = LargeArchives.withDenyDomains(dir, "base", 100);
    added = LargeArchives.withDenyDomains(dir, "added", 100 + ADDED);
  }

  @Test
  void aLargeDiffIsKeptAndEveryPageIsReadFromIt() throws Exception {
    assertThat(reader.listChanges(base, added, 100).get(ListCategory.DOMAINS).total(Change.ADDED)).isEqualTo(ADDED);
    Path kept = onlyKept();
    Object built = Files.readAttributes(kept, "unix:ino").get("ino");

    List<String> paged = allAdded(97);

    assertThat(paged).containsExactlyElementsOf(expectedAdded());
    assertThat(onlyKept()).isEqualTo(kept);
    assertThat(Files.readAttributes(kept, "unix:ino").get("ino")).as("read, not built again").isEqualTo(built);
  }

  @Test
  void theReverseOfAKeptDiffIsReadFromTheSameFileWithAddedAndRemovedSwapped() throws Exception {
    reader.listChanges(base, added, 100);
    Path kept = onlyKept();
    Object built = Files.readAttributes(kept, "unix:ino").get("ino");

    var reverse = reader.listChanges(added, base, 100).get(ListCategory.DOMAINS);
    List<String> removed = new ArrayList<>();
    String cursor = null;
    do {
      var page = reader.changes(added, base, ListCategory.DOMAINS, Change.REMOVED, cursor, 97);
      assertThat(page.total()).isEqualTo(ADDED);
      removed.addAll(page.items());
      cursor = page.next();
    } while (cursor != null);

    assertThat(reverse.total(Change.REMOVED)).isEqualTo(ADDED);
    assertThat(reverse.total(Change.ADDED)).isZero();
    assertThat(reverse.removed()).containsExactlyElementsOf(expectedAdded().subList(0, 100));
    assertThat(removed).containsExactlyElementsOf(expectedAdded());
    assertThat(reader.changes(added, base, ListCategory.DOMAINS, Change.ADDED, null, 10).items()).isEmpty();
    assertThat(onlyKept()).as("no second comparison kept for the reverse").isEqualTo(kept);
    assertThat(Files.readAttributes(kept, "unix:ino").get("ino")).as("read, not built again").isEqualTo(built);
  }

  @Test
  void aKeptDiffIsReadWithoutItsListIndexes() throws Exception {
    List<String> first = firstPage();
    try (Stream<Path> indexes = Files.list(scratch().resolve(ScratchDirectory.LIST_INDEXES))) {
      for (Path index : indexes.toList()) {
        Files.delete(index);
      }
    }

    assertThat(firstPage()).isEqualTo(first);
    assertThat(Files.list(scratch().resolve(ScratchDirectory.LIST_INDEXES))).as("no index rebuilt to name the kept diff").isEmpty();
  }

  @Test
  void aSmallDiffIsNotKeptAndLeavesNoFileBehind() throws Exception {
    Path few = LargeArchives.withDenyDomains(dir, "few", 110);

    assertThat(reader.listChanges(base, few, 100).get(ListCategory.DOMAINS).total(Change.ADDED)).isEqualTo(10);

    assertThat(kept()).isEmpty();
    try (Stream<Path> left = Files.list(scratch())) {
      assertThat(left.filter(Files::isRegularFile)).as("no temporary diff left in the scratch folder").isEmpty();
    }
  }

  @Test
  void aKeptDiffCutShortIsBuiltAgain() throws Exception {
    List<String> first = firstPage();
    try (FileChannel file = FileChannel.open(onlyKept(), StandardOpenOption.WRITE)) {
      file.truncate(file.size() / 2);
    }

    assertThat(firstPage()).isEqualTo(first);
    assertThat(allAdded(500)).containsExactlyElementsOf(expectedAdded());
  }

  @Test
  void aKeptDiffGrownByTrailingBytesIsBuiltAgain() throws Exception {
    List<String> first = firstPage();
    long size = Files.size(onlyKept());
    Files.write(onlyKept(), new byte[4096], StandardOpenOption.APPEND);

    assertThat(firstPage()).isEqualTo(first);
    assertThat(Files.size(onlyKept())).isEqualTo(size);
  }

  @Test
  void aDamagedKeptDiffIsBuiltAgain() throws Exception {
    List<String> first = firstPage();
    Path kept = onlyKept();
    byte[] bytes = Files.readAllBytes(kept);
    // past the first page, so the file still opens and its meta still matches: the damage shows when pages are read
    for (int i = 8192; i < bytes.length; i += 7) {
      bytes[i] = (byte) 0xA5;
    }
    Files.write(kept, bytes);

    assertThat(firstPage()).isEqualTo(first);
    assertThat(allAdded(1000)).containsExactlyElementsOf(expectedAdded());
  }

  @Test
  void aKeptDiffOfAnotherFormatVersionIsBuiltAgain() throws Exception {
    List<String> first = firstPage();
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + onlyKept()); Statement s = db.createStatement()) {
      s.execute("UPDATE meta SET value = '0' WHERE key = 'version'");
      s.execute("DELETE FROM changes WHERE rowid % 2 = 0");
    }

    assertThat(firstPage()).isEqualTo(first);
    assertThat(allAdded(1000)).containsExactlyElementsOf(expectedAdded());
  }

  @Test
  void aKeptDiffOfOtherArchivesIsNeverTrusted() throws Exception {
    Path other = LargeArchives.withDenyDomains(dir, "other", 100 + ADDED + 200);
    reader.listChanges(base, added, 1);
    Path ofAdded = onlyKept();
    reader.listChanges(base, other, 1);
    Path ofOther = kept().stream().filter(p -> !p.equals(ofAdded)).findFirst().orElseThrow();
    Files.copy(ofAdded, ofOther, StandardCopyOption.REPLACE_EXISTING);

    assertThat(reader.changes(base, other, ListCategory.DOMAINS, Change.ADDED, null, 10).total()).isEqualTo(ADDED + 200);
  }

  @Test
  void aDiffThatCannotBeKeptIsStillAnsweredAndLeavesNothingBehind() throws Exception {
    Files.createDirectories(scratch());
    // a file where the folder of kept diffs belongs: keeping fails as on a full or broken disk
    Files.writeString(scratch().resolve(ScratchDirectory.DIFFS), "not a folder");

    assertThat(allAdded(1000)).containsExactlyElementsOf(expectedAdded());
    try (Stream<Path> left = Files.list(scratch())) {
      assertThat(left.filter(p -> p.getFileName().toString().startsWith("diff-"))).as("no temporary diff left").isEmpty();
    }
  }

  @Test
  void keepsOnlyTheMostRecentlyUsedDiffs() throws Exception {
    TeleporterContents keepingAll = new TeleporterContents(Clock.systemUTC(), 0);
    Path fixture = Files.write(dir.resolve("fixture.zip"), Fixtures.archiveA());
    Path first = null;
    for (int i = 0; i < DiffCaches.KEPT + 2; i++) {
      Path archive = LargeArchives.edited(dir, "v" + i, fixture, "UPDATE client SET comment = 'version " + i + "'");
      keepingAll.listChanges(fixture, archive, 10);
      first = first == null ? onlyKept() : first;
    }

    assertThat(kept()).hasSize(DiffCaches.KEPT).doesNotContain(first);
  }

  /**
   * Round 48: a diff of a pair whose list indexes (and kept diff) were evicted by later reads of other archives is built again
   * from the archives, the same as before, never an empty one or "no changes"; in both directions, kept or not.
   */
  @ParameterizedTest
  @ValueSource(longs = {0, TeleporterContents.KEEP_DIFFS_FROM})
  void aDiffWhoseIndexesWereEvictedIsBuiltAgainTheSame(long keepDiffsFrom) throws Exception {
    TeleporterContents contents = new TeleporterContents(Clock.systemUTC(), keepDiffsFrom);
    Path fixture = Files.write(dir.resolve("fixture.zip"), Fixtures.archiveA());
    Path changed = LargeArchives.edited(dir, "changed", fixture, "UPDATE domainlist SET comment = 'changed'");
    var before = contents.diff(fixture, changed, 10);
    var reverse = contents.diff(changed, fixture, 10);
    assertThat(before.empty()).isFalse();

    for (int i = 0; i < ListIndexes.KEPT + DiffCaches.KEPT; i++) {
      Path other = LargeArchives.edited(dir, "other" + i, fixture, "UPDATE client SET comment = 'version " + i + "'");
      contents.diff(other, base, 10);
    }
    assertThat(indexes()).as("both indexes evicted").doesNotContainAnyElementsOf(List.of(index(fixture), index(changed)));

    assertThat(contents.diff(fixture, changed, 10)).isEqualTo(before);
    assertThat(contents.diff(changed, fixture, 10)).isEqualTo(reverse);
  }

  private List<Path> indexes() throws Exception {
    try (Stream<Path> files = Files.list(scratch().resolve(ScratchDirectory.LIST_INDEXES))) {
      return files.toList();
    }
  }

  private Path index(Path archive) throws Exception {
    return ScratchDirectory.of(dir).listIndex(new io.piholecheckpoint.core.archive.FileDigests(Clock.systemUTC(),
        io.piholecheckpoint.core.archive.FileDigests.MAX_AGE).sha256(archive));
  }

  private List<String> firstPage() throws Exception {
    return reader.changes(base, added, ListCategory.DOMAINS, Change.ADDED, null, 100).items();
  }

  private List<String> allAdded(int limit) throws Exception {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      var page = reader.changes(base, added, ListCategory.DOMAINS, Change.ADDED, cursor, limit);
      assertThat(page.total()).isEqualTo(ADDED);
      seen.addAll(page.items());
      cursor = page.next();
    } while (cursor != null);
    return seen;
  }

  /** d101 … d1600 in natural order: the numbers ascending, as a person counts. */
  private static List<String> expectedAdded() {
    return IntStream.rangeClosed(101, 100 + ADDED).mapToObj(i -> "deny exact d" + i + ".deny.example.net").toList();
  }

  private Path scratch() {
    return ScratchDirectory.of(dir).path();
  }

  private List<Path> kept() throws Exception {
    Path diffs = scratch().resolve(ScratchDirectory.DIFFS);
    if (!Files.isDirectory(diffs)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(diffs)) {
      return files.toList();
    }
  }

  private Path onlyKept() throws Exception {
    assertThat(kept()).hasSize(1);
    return kept().get(0);
  }
}
