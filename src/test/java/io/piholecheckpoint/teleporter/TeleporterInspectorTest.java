package io.piholecheckpoint.teleporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.archive.ArchiveInspector.Inspection;
import io.piholecheckpoint.core.archive.ContentSummary;
import io.piholecheckpoint.core.archive.InvalidArchiveException;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.TestArchives;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeleporterInspectorTest {
  @TempDir
  Path dir;

  private final TeleporterInspector inspector = new TeleporterInspector();

  private Inspection inspect(byte[] archive) throws Exception {
    Path file = Files.write(dir.resolve("archive-" + System.nanoTime() + ".zip"), archive);
    return inspector.inspect(file);
  }

  @Test
  void countsWhatTheRealArchiveHolds() throws Exception {
    ContentSummary summary = inspect(Fixtures.archiveA()).summary();

    // fixture a: groups Default + kids; 2 adlists; good.example.com allowed; ads.example.com and a regex denied;
    // one client; one local DNS host; one CNAME (see src/test/resources/fixtures/README.md)
    assertThat(summary).isEqualTo(new ContentSummary(2, 2, 1, 0, 1, 1, 1, 1, 1, summary.changedSettings()));
    assertThat(summary.changedSettings()).isPositive();
  }

  @Test
  void seesTheChangesBetweenTheTwoFixtures() throws Exception {
    ContentSummary b = inspect(Fixtures.archiveB()).summary();

    assertThat(b.adlists()).isEqualTo(3);
    assertThat(b.allowExact()).isZero();
    assertThat(b.denyExact()).isEqualTo(2);
    assertThat(b.dnsRecords()).isEqualTo(2);
  }

  @Test
  void givesAnUnchangedPiholeTheSameContentHashWhateverTheEntryDates() throws Exception {
    String original = inspect(Fixtures.archiveA()).contentHash();

    String reexported = inspect(TestArchives.reexported(Fixtures.archiveA())).contentHash();

    assertThat(reexported).isEqualTo(original);
  }

  /** Stored backups keep the hash they were given: a new way of computing it must give the same value, or every next backup looks changed. */
  @Test
  void computesTheContentHashesEarlierVersionsStored() throws Exception {
    assertThat(inspect(Fixtures.archiveA()).contentHash()).isEqualTo("9a861843dde5a184349bf9d03906c87d67747d978bcb0b3bb61bf08903475b38");
    assertThat(inspect(Fixtures.archiveB()).contentHash()).isEqualTo("d1c626faaec01e513798d52b39e4693ee4cace8ab14089894cf46620e0ce7971");
  }

  @Test
  void givesTheTwoFixturesDifferentContentHashes() throws Exception {
    assertThat(inspect(Fixtures.archiveA()).contentHash()).isNotEqualTo(inspect(Fixtures.archiveB()).contentHash());
  }

  @Test
  void refusesATruncatedArchive() {
    byte[] archive = Fixtures.archiveA();

    assertThatThrownBy(() -> inspect(Arrays.copyOf(archive, archive.length / 2)))
        .isInstanceOf(InvalidArchiveException.class).hasMessageContaining("damaged or incomplete");
  }

  @Test
  void refusesACorruptedArchive() {
    byte[] corrupted = Fixtures.archiveA();
    corrupted[500] ^= 0x5a; // inside the compressed pihole.toml

    assertThatThrownBy(() -> inspect(corrupted)).isInstanceOf(InvalidArchiveException.class).hasMessageContaining("damaged");
  }

  @Test
  void refusesAWebPage() {
    assertThatThrownBy(() -> inspect("<!DOCTYPE html><html></html>".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidArchiveException.class).hasMessageContaining("not a ZIP archive");
  }
}
