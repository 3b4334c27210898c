package io.piholecheckpoint.teleporter;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Clock;
import io.piholecheckpoint.core.archive.InvalidArchiveException;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.TestArchives;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipException;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coverage-guided fuzzing of what reads archives: the inspector and the contents reader must
 * answer any bytes with a result or an {@link InvalidArchiveException} — never another exception,
 * an error such as a stack overflow, a hang or unbounded memory. Three targets, because random
 * ZIP bytes seldom reach the TOML or SQLite parsers: raw archives, pihole.toml inside a real
 * archive, and gravity.db inside a real archive. Normal builds replay the seeds in
 * {@code ArchiveFuzzTestInputs/<target>/} (fixtures and hostile archives, see bench/FuzzSeeds.java)
 * without Jazzer's agent and its bug detectors ({@code -Djazzer.hooks=true} replays with them);
 * {@code bench/fuzz.sh} fuzzes each target (JAZZER_FUZZ=1, with the agent).
 */
class ArchiveFuzzTest {
  /** One folder for the class's inputs, deleted after it: a folder of its own per run was left in /tmp by each. */
  @TempDir
  static Path dir;

  private final TeleporterInspector inspector = new TeleporterInspector();
  private final TeleporterContents contents = new TeleporterContents(Clock.systemUTC());

  @FuzzTest(maxDuration = "2m")
  void inspectsAnyBytes(byte[] archive) throws IOException {
    readBoth(archive);
  }

  @FuzzTest(maxDuration = "2m")
  void readsAnyPiholeToml(byte[] toml) throws IOException {
    readBoth(TestArchives.replaced(Fixtures.archiveA(), TeleporterInspector.CONFIG, toml));
  }

  @FuzzTest(maxDuration = "2m")
  void readsAnyGravityDatabase(byte[] gravity) throws IOException {
    readBoth(TestArchives.replaced(Fixtures.archiveA(), TeleporterInspector.GRAVITY, gravity));
  }

  private void readBoth(byte[] bytes) throws IOException {
    Path file = Files.write(dir.resolve("archive.zip"), bytes);
    try {
      inspector.inspect(file);
    } catch (InvalidArchiveException e) {
      // refused with a message: what a hostile archive must get
    }
    try {
      contents.contents(file, 100);
      contents.diff(file, file, 10);
    } catch (InvalidArchiveException | ZipException e) {
      // the contents reader is handed archives that passed inspection; it may refuse others either way
    }
  }
}
