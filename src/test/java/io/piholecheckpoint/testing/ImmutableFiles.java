package io.piholecheckpoint.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Files that refuse every write, root's too, as a mount gone read-only does: {@code chattr +i}, which needs root and a file
 * system that keeps the attribute (ext4, xfs). chmod does not bite for root, a read-only bind mount needs privileges a test
 * JVM has not; where chattr cannot, the test is skipped rather than faked. {@link #close} makes them writable again.
 */
public final class ImmutableFiles implements AutoCloseable {
  private final List<Path> files = new ArrayList<>();

  /** The ones of {@code paths} that exist, made immutable; skips the test when that cannot be done here. */
  public static ImmutableFiles of(Path... paths) throws IOException, InterruptedException {
    ImmutableFiles made = new ImmutableFiles();
    for (Path p : paths) {
      if (Files.exists(p)) {
        assumeTrue(chattr("+i", p), "chattr +i does not work here (not root, or a file system without it)");
        made.files.add(p);
      }
    }
    return made;
  }

  private static boolean chattr(String how, Path file) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("chattr", how, file.toString()).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor() == 0;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    for (Path p : files) {
      chattr("-i", p);
    }
  }
}
