package io.piholecheckpoint.testing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Class-data archives ({@code entrypoint.sh cds}) of the JVM options RunningApp starts with (used for the image's too), made
 * once per build under target/ and shared by every test JVM (a file lock lets one of them make
 * them while the others wait): each of the suite's hundred-odd starts then costs about 4.2 instead
 * of 6.6 CPU seconds, as in the image. Tests of the archives themselves use their own directory.
 */
final class SharedClassData {
  private static Path dir;
  private static boolean tried;

  private SharedClassData() {
  }

  /** The directory with both archives for {@code javaOpts}, or null when they could not be made (starts are then only slower). */
  static synchronized Path forOptions(String javaOpts) {
    if (!tried) {
      tried = true;
      try {
        dir = made(RunningApp.home(), javaOpts);
      } catch (Exception e) {
        System.err.println("SharedClassData: tests start without class-data archives: " + e);
      }
    }
    return dir;
  }

  private static Path made(Path home, String javaOpts) throws Exception {
    Path target = home.resolve("target");
    Path archives = target.resolve("it-cds");
    try (FileChannel lockFile = FileChannel.open(target.resolve("it-cds.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock lock = lockFile.lock()) {
      if (current(target, archives)) {
        return archives;
      }
      ProcessBuilder builder = new ProcessBuilder(home.resolve("entrypoint.sh").toString(), "cds").redirectErrorStream(true);
      builder.environment().keySet().removeIf(k -> k.startsWith("PIHOLE_") || k.startsWith("CHECKPOINT_") || k.equals("MIGRATE_JAVA_OPTS"));
      builder.environment().putAll(java.util.Map.of("JAVA_OPTS", javaOpts, "CHECKPOINT_CDS_DIR", archives.toString(),
          "CDS_TRAINING_PORT", String.valueOf(Ports.unused())));
      SqliteNativeFolder.give(builder.environment());
      Process cds = StartedProcesses.start(builder);
      byte[] output = cds.getInputStream().readAllBytes();
      if (!cds.waitFor(5, TimeUnit.MINUTES) || cds.exitValue() != 0) {
        StartedProcesses.kill(cds); // and the training run's server, if that is what hangs
        throw new IOException("entrypoint.sh cds failed: " + new String(output, StandardCharsets.UTF_8));
      }
      return archives;
    }
  }

  /** Both archives exist and are newer than every file of the build (else entrypoint.sh would leave them aside). */
  private static boolean current(Path target, Path archives) throws IOException {
    List<Path> files = List.of(archives.resolve("migrate.jsa"), archives.resolve("server.jsa"));
    if (!Files.isRegularFile(files.get(0)) || !Files.isRegularFile(files.get(1))) {
      return false;
    }
    FileTime made = Files.getLastModifiedTime(files.get(0));
    try (Stream<Path> build = Stream.of(target.resolve("pihole-checkpoint-launcher.jar"), target.resolve("lib"),
        target.resolve("pihole-checkpoint/WEB-INF")).filter(Files::exists).flatMap(SharedClassData::walk)) {
      return build.noneMatch(f -> newer(f, made));
    }
  }

  private static Stream<Path> walk(Path path) {
    try {
      return Files.walk(path);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static boolean newer(Path file, FileTime than) {
    try {
      return Files.getLastModifiedTime(file).compareTo(than) > 0;
    } catch (IOException e) {
      return true;
    }
  }
}
