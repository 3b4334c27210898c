package io.piholecheckpoint.teleporter;

import static org.assertj.core.api.Assertions.assertThat;
import java.time.Clock;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.archive.ArchiveInspector.Inspection;
import io.piholecheckpoint.core.archive.InvalidArchiveException;
import io.piholecheckpoint.core.archive.scratch.ScratchDirectory;
import io.piholecheckpoint.testing.HostileArchives;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives built to exhaust memory, disk or time are refused early, with a message, leaving nothing behind. */
class HostileArchiveTest {
  @TempDir
  Path dir;

  private final TeleporterInspector inspector = new TeleporterInspector();

  private Path archive(String name, Path gravity) throws Exception {
    return HostileArchives.archive(dir.resolve(name), gravity);
  }

  private Path file(String name, byte[] bytes) throws Exception {
    return Files.write(dir.resolve(name), bytes);
  }

  private long bytesInScratch() throws Exception {
    Path scratch = dir.resolve(ScratchDirectory.NAME);
    if (!Files.isDirectory(scratch)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(scratch)) {
      return files.mapToLong(p -> p.toFile().length()).sum();
    }
  }

  @Test
  void refusesAnEntryThatInflatesFarBeyondWhatItsHeadersDeclareBeforeWritingAnyOfIt() throws Exception {
    // 16 MiB of zeros pack to about 16 KB: refused at 200 times that, 3 MB, a hundred times what the header says
    Path bomb = HostileArchives.lyingBomb(dir.resolve("bomb.zip"), 16L << 20, 32_768);
    try (ZipFile zip = new ZipFile(bomb.toFile())) {
      assertThat(zip.getEntry("etc/pihole/gravity.db").getSize()).as("the header lies").isEqualTo(32_768);
    }

    assertThatThrownBy(() -> inspector.inspect(bomb)).isInstanceOf(InvalidArchiveException.class)
        .hasMessageContaining("etc/pihole/gravity.db").hasMessageContaining("ZIP bomb");
    assertThat(bytesInScratch()).isZero();
  }

  @Test
  void refusesAPiholeTomlOfManyMebibytes() throws Exception {
    Path huge = HostileArchives.hugeConfig(dir.resolve("huge.zip"), 8);

    assertThatThrownBy(() -> inspector.inspect(huge)).isInstanceOf(InvalidArchiveException.class)
        .hasMessageContaining("etc/pihole/pihole.toml unpacks to more than 2 MiB; a real one is about 60 KB");
  }

  @Test
  void refusesAPiholeTomlNestedDeeperThanAThreadStackCanParse() throws Exception {
    Path nested = file("nested.zip", HostileArchives.deeplyNestedConfig(100_000));

    assertThatThrownBy(() -> inspector.inspect(nested)).isInstanceOf(InvalidArchiveException.class)
        .hasMessageContaining("nests arrays or tables 100000 levels deep");
  }

  @Test
  void parsesTheDeepestNestingAllowedOnTheServersThreadStackOf256KiB() throws Exception {
    String deepest = "a = " + "[".repeat(PiholeToml.MAX_NESTING - 1) + "{x = 1}" + "]".repeat(PiholeToml.MAX_NESTING - 1) + "\n";
    assertThat(PiholeToml.nesting(deepest)).isEqualTo(PiholeToml.MAX_NESTING);
    Throwable[] failure = new Throwable[1];
    Thread parser = new Thread(null, () -> {
      try {
        new com.fasterxml.jackson.dataformat.toml.TomlMapper().readTree(deepest);
      } catch (Throwable t) {
        failure[0] = t;
      }
    }, "small-stack", 256 * 1024);
    parser.start();
    parser.join();

    assertThat(failure[0]).isNull();
  }

  @Test
  void countsNestingOnlyOutsideStringsAndComments() {
    assertThat(PiholeToml.nesting("a = [\"[[[[\", '{{{{', \"\"\"\n[[[\n\"\"\"] # [[[[[\nb = [[1], [2]]\n[dns]\n[[x.y]]\n")).isEqualTo(2);
  }

  @Test
  void refusesAnArchiveOfThousandsOfEntries() throws Exception {
    Path many = file("many.zip", HostileArchives.manyEntries(5_000));

    assertThatThrownBy(() -> inspector.inspect(many)).isInstanceOf(InvalidArchiveException.class).hasMessageContaining("declares 5001 entries");
  }

  @Test
  void refusesACentralDirectoryTooLargeToHoldBeforeZipFileReadsIt() throws Exception {
    var bytes = new java.io.ByteArrayOutputStream();
    try (var out = new java.util.zip.ZipOutputStream(bytes)) {
      for (int i = 0; i < 900; i++) {
        out.putNextEntry(new java.util.zip.ZipEntry("etc/" + "x".repeat(400) + i));
        out.closeEntry();
      }
    }
    Path wide = file("wide.zip", bytes.toByteArray());

    assertThatThrownBy(() -> inspector.inspect(wide)).isInstanceOf(InvalidArchiveException.class)
        .hasMessageContaining("declares 900 entries in a directory of");
  }

  @Test
  void refusesADomainlistThatIsAViewOfMillionsOfRows() throws Exception {
    Path archive = archive("view.zip", HostileArchives.gravityWithViewDomainlist(dir.resolve("view.db"), 5_000_000));

    assertThatThrownBy(() -> inspector.inspect(archive)).isInstanceOf(InvalidArchiveException.class)
        .hasMessageContaining("its gravity.db has \"domainlist\" as a view, not a table");
    assertThat(bytesInScratch()).isZero();
  }

  @Test
  void refusesADomainlistThatIsAViewWithoutEnd() throws Exception {
    Path archive = archive("endless.zip", HostileArchives.gravityWithViewDomainlist(dir.resolve("endless.db"), -1));

    assertThatThrownBy(() -> new TeleporterContents(Clock.systemUTC()).contents(archive, 100)).isInstanceOf(InvalidArchiveException.class).hasMessageContaining("as a view");
  }

  @Test
  void refusesComputedColumnsAndVirtualTables() throws Exception {
    Path generated = archive("generated.zip", HostileArchives.gravityWithDomainlist(dir.resolve("generated.db"),
        "CREATE TABLE domainlist (id INTEGER PRIMARY KEY, type INTEGER, name TEXT, domain TEXT GENERATED ALWAYS AS (name || '.com'), "
            + "enabled INTEGER, comment TEXT);"));
    Path virtual = archive("virtual.zip", HostileArchives.gravityWithDomainlist(dir.resolve("virtual.db"),
        "CREATE VIRTUAL TABLE domainlist USING fts5(id, type, domain, enabled, comment);"));

    assertThatThrownBy(() -> inspector.inspect(generated)).hasMessageContaining("has a generated or hidden column \"domain\" in \"domainlist\"");
    assertThatThrownBy(() -> inspector.inspect(virtual)).hasMessageContaining("has \"domainlist\" as a virtual table");
  }

  @Test
  void readsATableWithTriggersWithoutFiringThem() throws Exception {
    Path archive = archive("triggers.zip", HostileArchives.gravityWithTriggers(dir.resolve("triggers.db")));

    assertThat(inspector.inspect(archive).summary().groups()).isEqualTo(1);
  }

  @Test
  void countsAHundredThousandDomainsAndLeavesNoCopyBehind() throws Exception {
    Path archive = archive("large.zip", HostileArchives.gravityWithDomains(dir.resolve("large.db"), 100_000));

    Inspection inspection = inspector.inspect(archive);

    assertThat(inspection.summary().denyExact()).isEqualTo(100_000);
    assertThat(bytesInScratch()).isZero();
  }

  @Test
  void endsAQueryThatRunsOutOfItsStepBudget() throws Exception {
    Path archive = archive("steps.zip", HostileArchives.gravityWithDomains(dir.resolve("steps.db"), 10_000));

    try (ZipFile zip = new ZipFile(archive.toFile())) {
      assertThatThrownBy(() -> GravityDatabase.withCopy(zip, zip.getEntry(TeleporterInspector.GRAVITY), new QueryBudget(20_000, Long.MAX_VALUE),
          GravityDatabase::counts)).isInstanceOf(InvalidArchiveException.class)
          .hasMessageContaining("reading its gravity.db took more than 20,000 steps");
    }
    assertThat(bytesInScratch()).isZero();
  }
}
