package io.piholecheckpoint.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * A large archive made once under target/made-once/ and read from there by every class that asks for it, in this JVM
 * or another: making a million-domain archive costs more than half a minute of CPU, which the classes of
 * MillionDomainsIT paid again on every run, one after another. The file's name is the caller's key (what it
 * holds and how big) and a digest of the maker's class file and of the fixture it starts from, so a changed maker or
 * fixture makes a new file rather than handing out a stale one. Made in a folder of its own and renamed into place:
 * two JVMs that make the same archive at once each write their own copy, and neither ever reads a half-written one.
 * The archives are read-only to their users: a test that changes one works on a copy.
 */
public final class MadeOnce {
  private MadeOnce() {
  }

  /** Makes one archive in {@code work}, an empty folder of its own, and returns its path there. */
  @FunctionalInterface
  public interface Maker {
    Path make(Path work) throws Exception;
  }

  /** The archive {@code key} made by {@code maker} (whose code lives in {@code makerClass}), made now if not yet. */
  public static Path archive(String key, Class<?> makerClass, Maker maker) throws Exception {
    return archive(RunningApp.home().resolve("target").resolve("made-once"), key, makerClass, maker);
  }

  static Path archive(Path folder, String key, Class<?> makerClass, Maker maker) throws Exception {
    Files.createDirectories(folder);
    Path archive = folder.resolve(key + "-" + version(makerClass) + ".zip");
    if (Files.exists(archive)) {
      return archive;
    }
    Path work = Files.createTempDirectory(folder, key + "-");
    try {
      Files.move(maker.make(work), archive, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException madeByAnother) {
      // another JVM renamed its copy first: the same bytes, whole
    } finally {
      delete(work);
    }
    return archive;
  }

  private static String version(Class<?> makerClass) throws IOException, NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream code = makerClass.getResourceAsStream(makerClass.getSimpleName() + ".class")) {
      digest.update(code.readAllBytes());
    }
    digest.update(Fixtures.archiveA());
    return HexFormat.of().formatHex(digest.digest(), 0, 6);
  }

  private static void delete(Path folder) throws IOException {
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> {
        try {
          Files.delete(file);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
