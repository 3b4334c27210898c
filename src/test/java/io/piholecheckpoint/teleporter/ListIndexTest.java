package io.piholecheckpoint.teleporter;

import static org.assertj.core.api.Assertions.assertThat;
import java.time.Clock;

import io.piholecheckpoint.core.archive.scratch.ScratchDirectory;
import io.piholecheckpoint.core.contents.ListCategory;
import io.piholecheckpoint.core.contents.Page;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.LargeArchives;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The list index of an archive: built once, rebuilt from the archive when missing, damaged or not its own, bounded in number. */
class ListIndexTest {
  private final TeleporterContents reader = new TeleporterContents(Clock.systemUTC());

  @TempDir
  Path dir;

  @Test
  void isBuiltOnceAndReusedByLaterPages() throws Exception {
    Path archive = LargeArchives.withDenyDomains(dir, "a", 500);

    reader.page(archive, ListCategory.DOMAINS, null, 10);
    Path index = onlyIndex();
    Object built = Files.readAttributes(index, "unix:ino").get("ino");
    Page<?> again = reader.page(archive, ListCategory.DOMAINS, null, 10);

    assertThat(again.total()).isEqualTo(500 + LargeArchives.FIXTURE_DOMAINS);
    assertThat(onlyIndex()).isEqualTo(index);
    assertThat(Files.readAttributes(index, "unix:ino").get("ino")).isEqualTo(built);
  }

  @Test
  void isRebuiltWhenMissing() throws Exception {
    Path archive = LargeArchives.withDenyDomains(dir, "a", 300);
    Page<?> first = reader.page(archive, ListCategory.DOMAINS, null, 50);
    Files.delete(onlyIndex());

    Page<?> rebuilt = reader.page(archive, ListCategory.DOMAINS, null, 50);

    assertThat(rebuilt).isEqualTo(first);
    assertThat(readable(onlyIndex())).isTrue();
  }

  @Test
  void isRebuiltFromTheArchiveWhenDamaged() throws Exception {
    Path archive = LargeArchives.withDenyDomains(dir, "a", 2000);
    Page<?> first = reader.page(archive, ListCategory.DOMAINS, null, 100);
    Path index = onlyIndex();
    byte[] bytes = Files.readAllBytes(index);
    for (int i = 100; i < bytes.length; i += 7) {
      bytes[i] = (byte) 0xA5;
    }
    Files.write(index, bytes);

    Page<?> again = reader.page(archive, ListCategory.DOMAINS, null, 100);

    assertThat(again).isEqualTo(first);
    assertThat(readable(onlyIndex())).isTrue();
  }

  @Test
  void anIndexOfOtherBytesIsNeverTrusted() throws Exception {
    Path a = LargeArchives.withDenyDomains(dir, "a", 100);
    Path b = LargeArchives.withDenyDomains(dir, "b", 200);
    reader.page(a, ListCategory.DOMAINS, null, 10);
    Path indexOfA = onlyIndex();
    reader.page(b, ListCategory.DOMAINS, null, 10);
    Path indexOfB = indexes().stream().filter(p -> !p.equals(indexOfA)).findFirst().orElseThrow();
    Files.copy(indexOfA, indexOfB, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    Page<?> page = reader.page(b, ListCategory.DOMAINS, null, 10);

    assertThat(page.total()).isEqualTo(200 + LargeArchives.FIXTURE_DOMAINS);
  }

  @Test
  void anIndexOfTheFormerFormatIsRebuilt() throws Exception {
    Path archive = LargeArchives.withDenyDomains(dir, "a", 2000);
    Page<?> first = reader.page(archive, ListCategory.DOMAINS, null, 100);
    Path index = onlyIndex();
    // as format 3 left it: its list digests were over every row, not over the blocks' digests
    try (java.sql.Connection db = new org.sqlite.SQLiteConfig().createConnection("jdbc:sqlite:" + index);
         java.sql.Statement s = db.createStatement()) {
      s.executeUpdate("UPDATE meta SET value = '3' WHERE key = 'version'");
      s.executeUpdate("UPDATE lists SET digest = 'format 3'");
    }

    Page<?> again = reader.page(archive, ListCategory.DOMAINS, null, 100);

    assertThat(again).isEqualTo(first);
    assertThat(listDigestsOverBlocks(onlyIndex())).containsOnly(true);
  }

  @Test
  void keepsOnlyTheMostRecentlyUsedIndexes() throws Exception {
    Path fixture = Files.write(dir.resolve("fixture.zip"), Fixtures.archiveA());
    Path first = null;
    for (int i = 0; i < ListIndexes.KEPT + 3; i++) {
      Path archive = LargeArchives.edited(dir, "v" + i, fixture, "UPDATE client SET comment = 'version " + i + "'");
      reader.page(archive, ListCategory.CLIENTS, null, 10);
      first = first == null ? indexes().get(0) : first;
    }

    assertThat(indexes()).hasSize(ListIndexes.KEPT).doesNotContain(first);
  }

  @Test
  void anArchiveWithoutGravityDatabaseHasEmptyLists() throws Exception {
    Path archive = LargeArchives.edited(dir, "wiped", Files.write(dir.resolve("fixture.zip"), Fixtures.archiveA()));
    Path withoutGravity = dir.resolve("no-gravity.zip");
    try (var zip = new java.util.zip.ZipFile(archive.toFile());
         var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(withoutGravity))) {
      for (var entry : java.util.Collections.list(zip.entries())) {
        if (!entry.getName().equals(TeleporterInspector.GRAVITY)) {
          out.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
          zip.getInputStream(entry).transferTo(out);
        }
      }
    }

    assertThat(reader.page(withoutGravity, ListCategory.DOMAINS, null, 10)).isEqualTo(Page.empty());
    assertThat(reader.listChanges(withoutGravity, archive, 10).get(ListCategory.DOMAINS).addedTotal()).isEqualTo(3);
  }

  /** Per list: is its digest the SHA-256 of its blocks' digests in key order (what lets a diff skip equal lists)? */
  private static List<Boolean> listDigestsOverBlocks(Path index) throws Exception {
    List<Boolean> lists = new ArrayList<>();
    try (java.sql.Connection db = ListIndex.open(index); java.sql.Statement s = db.createStatement();
         java.sql.ResultSet rs = s.executeQuery("SELECT cat, digest FROM lists ORDER BY cat");
         java.sql.PreparedStatement blocks = db.prepareStatement("SELECT digest FROM blocks WHERE cat = ? ORDER BY k1, k2")) {
      while (rs.next()) {
        java.security.MessageDigest sha256 = ListIndex.sha256();
        blocks.setInt(1, rs.getInt(1));
        try (java.sql.ResultSet b = blocks.executeQuery()) {
          while (b.next()) {
            sha256.update(java.util.HexFormat.of().parseHex(b.getString(1)));
          }
        }
        lists.add(java.util.HexFormat.of().formatHex(sha256.digest()).equals(rs.getString(2)));
      }
    }
    return lists;
  }

  private static boolean readable(Path index) {
    try (java.sql.Connection db = ListIndex.open(index); java.sql.Statement s = db.createStatement();
         java.sql.ResultSet rs = s.executeQuery("SELECT sum(total) FROM lists")) {
      return rs.next();
    } catch (java.sql.SQLException e) {
      return false;
    }
  }

  private Path onlyIndex() throws Exception {
    List<Path> all = indexes();
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  private List<Path> indexes() throws Exception {
    Path folder = ScratchDirectory.of(dir).path().resolve(ScratchDirectory.LIST_INDEXES);
    try (Stream<Path> files = Files.list(folder)) {
      return new ArrayList<>(files.sorted().toList());
    }
  }
}
