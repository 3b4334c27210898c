package io.piholecheckpoint.core.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.MovableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A digest is reused only for the same, unchanged file, and only for a while: issue 13's repeated views of a large archive. */
class FileDigestsTest {
  private static final Duration AGE = Duration.ofMinutes(10);

  @TempDir
  Path dir;

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-05T18:00:00Z"));
  private final AtomicInteger reads = new AtomicInteger();
  private final FileDigests digests = new FileDigests(clock, AGE, file -> {
    reads.incrementAndGet();
    return ArchiveFiles.sha256Of(file);
  });

  @Test
  void anUnchangedFileIsReadOnceAndGivesItsSha256() throws IOException {
    Path file = Files.writeString(dir.resolve("a.zip"), "archive a");

    assertThat(digests.sha256(file)).isEqualTo(ArchiveFiles.sha256Of(file));
    assertThat(digests.sha256(file)).isEqualTo(ArchiveFiles.sha256Of(file));
    assertThat(digests.sha256(dir.resolve(".").resolve("a.zip"))).isEqualTo(ArchiveFiles.sha256Of(file));
    assertThat(reads).hasValue(1);
  }

  @Test
  void aFileWrittenInPlaceIsReadAgainEvenWithItsSizeAndTimeAsBefore() throws IOException {
    Path file = Files.writeString(dir.resolve("a.zip"), "archive a");
    FileTime before = Files.getLastModifiedTime(file);
    digests.sha256(file);

    Files.write(file, "archive b".getBytes(StandardCharsets.UTF_8));
    Files.setLastModifiedTime(file, before);

    assertThat(digests.sha256(file)).isEqualTo(ArchiveFiles.sha256Of(file));
    assertThat(reads).hasValue(2);
  }

  @Test
  void aFileReplacedByAnotherUnderItsNameIsReadAgain() throws IOException {
    Path file = Files.writeString(dir.resolve("a.zip"), "archive a");
    digests.sha256(file);

    Path other = Files.writeString(dir.resolve("b.part"), "archive b");
    Files.setLastModifiedTime(other, Files.getLastModifiedTime(file));
    Files.move(other, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

    assertThat(digests.sha256(file)).isEqualTo(ArchiveFiles.sha256Of(file));
    assertThat(reads).hasValue(2);
  }

  @Test
  void aDigestOlderThanItsAgeIsReadAgain() throws IOException {
    Path file = Files.writeString(dir.resolve("a.zip"), "archive a");
    digests.sha256(file);

    clock.advance(AGE.minusSeconds(1));
    digests.sha256(file);
    assertThat(reads).hasValue(1);

    clock.advance(Duration.ofSeconds(1));
    digests.sha256(file);
    assertThat(reads).hasValue(2);
  }
}
