package io.piholecheckpoint.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * A {@code @TempDir} in memory ({@code /dev/shm}, a tmpfs) for a class whose cases write, sync and delete many small files:
 * each backup, copy and manifest is forced to disk as production forces it (DurableWriter, the directory destination), a SQLite
 * database there syncs its WAL at each commit, and on a disk those syncs and the deletions after each case were most of
 * AdoptionServiceTest's time and a quarter of OffsiteServiceTest's (bench/RESULTS.md, r30-unitcpu). On a tmpfs the same calls
 * are made and return at once. Where there is no tmpfs with room (a container's 64 MB
 * {@code /dev/shm}), the JVM's temp directory as before.
 */
public final class MemoryTempDir implements TempDirFactory {
  private static final Path SHM = Path.of("/dev/shm");
  /** Far more than a case of these classes writes (archives of a few hundred KB, SQLite copies of the template). */
  private static final long ROOM = 512L * 1024 * 1024;

  @Override
  public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context) throws IOException {
    return create("junit-");
  }

  /** Such a directory for a test that cannot have a {@code @TempDir} (a jqwik property's); the test deletes it. */
  public static Path create(String prefix) throws IOException {
    return roomy() ? Files.createTempDirectory(SHM, prefix) : Files.createTempDirectory(prefix);
  }

  private static boolean roomy() {
    try {
      return Files.isDirectory(SHM) && Files.isWritable(SHM) && Files.getFileStore(SHM).getUsableSpace() >= ROOM;
    } catch (IOException e) {
      return false;
    }
  }
}
