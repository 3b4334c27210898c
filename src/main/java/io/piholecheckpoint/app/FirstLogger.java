package io.piholecheckpoint.app;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logger of the migration step's main class, made so that slf4j-simple finds its configuration
 * without opening every jar. slf4j-simple looks up {@code simplelogger.properties} through the
 * thread's context class loader; the application class loader searches the class path in order,
 * and entrypoint.sh puts {@code etc/} last (a class-data archive allows no directory inside the
 * class path it was made with). That one look-up opened all 69 jars of the step, reading each
 * one's central directory (~60 ms of CPU, bench/RESULTS.md), where the class-data archive had made
 * every other use of most of them unnecessary. Here the look-up sees the class path's directories
 * first and falls back to the whole class path only when none of them holds the file, so the
 * configuration read is the same.
 *
 * <p>Not used by the launcher: Jetty's first {@code ServiceLoader} opens every jar of the server anyway.
 */
final class FirstLogger {
  private static final String CONFIGURATION = "simplelogger.properties";

  private FirstLogger() {
  }

  /** {@code LoggerFactory.getLogger(owner)}, slf4j's set-up reading its configuration from the class path's directories first. */
  static Logger of(Class<?> owner) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    ClassLoader fallback = previous != null ? previous : ClassLoader.getSystemClassLoader();
    thread.setContextClassLoader(new DirectoriesFirst(classPathDirectories(System.getProperty("java.class.path", "")), fallback));
    try {
      return LoggerFactory.getLogger(owner);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** The entries of a class path (as in {@code java.class.path}) that are directories, in order. */
  static List<Path> classPathDirectories(String classPath) {
    List<Path> directories = new ArrayList<>();
    for (String entry : classPath.split(File.pathSeparator)) {
      try {
        Path path = Path.of(entry.isEmpty() ? "." : entry);
        if (Files.isDirectory(path)) {
          directories.add(path);
        }
      } catch (InvalidPathException e) {
        // the JVM ignores such an entry too
      }
    }
    return directories;
  }

  /**
   * Answers {@code simplelogger.properties} from the directories when one holds it; everything else, and that file
   * when none does, as {@code fallback} would (its parent): classes are never loaded from the directories here.
   */
  static final class DirectoriesFirst extends ClassLoader {
    private final List<Path> directories;

    DirectoriesFirst(List<Path> directories, ClassLoader fallback) {
      super(fallback);
      this.directories = List.copyOf(directories);
    }

    @Override
    public URL getResource(String name) {
      if (CONFIGURATION.equals(name)) {
        for (Path directory : directories) {
          Path file = directory.resolve(name);
          if (Files.isRegularFile(file)) {
            try {
              return file.toUri().toURL();
            } catch (MalformedURLException e) {
              throw new UncheckedIOException(new IOException("cannot name " + file + " as a URL", e));
            }
          }
        }
      }
      return super.getResource(name);
    }
  }
}
