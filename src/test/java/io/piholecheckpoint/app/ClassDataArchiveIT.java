package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.Ports;
import io.piholecheckpoint.testing.RunningApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code entrypoint.sh cds}: the class-data archives the image makes at build time, and their use. Forked throughout: an
 * archive is opened (or left aside by entrypoint.sh) only as a JVM starts, so each case is a start of both steps; the
 * training run, a whole start and stop, is made once for the class and each case spoils its own copy.
 */
class ClassDataArchiveIT {
  /** Where the class's one {@code entrypoint.sh cds} ran: a training run is a whole start and stop of both steps. */
  @TempDir
  static Path trained;
  private static RunningApp.Exit training;

  @TempDir
  Path dir;

  @BeforeAll
  static void writeArchivesOnce() throws Exception {
    training = RunningApp.runToExit("cds", trained.resolve("unused-data"), trained.resolve("unused-backups"),
        Map.of("CHECKPOINT_CDS_DIR", trained.resolve("cds").toString(), "CDS_TRAINING_PORT", String.valueOf(Ports.unused())));
  }

  /** This test's own copy of the archives the class wrote, times and modes kept, for it to spoil. */
  private Path archives() throws Exception {
    assertThat(training.code()).as(training.output()).isZero();
    Path from = trained.resolve("cds");
    Path cds = dir.resolve("cds");
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Files.copy(file, cds.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    return cds;
  }

  /** -Xshare:on turns an archive the JVM cannot use into a failed start; -Xlog:cds names those it opens. */
  private RunningApp startUsing(Path cds) throws Exception {
    String opts = "-Xshare:on -Xlog:cds=info -XX:+UseSerialGC -Xmx128m";
    return RunningApp.start(dir.resolve("data"), dir.resolve("backups"),
        Map.of("CHECKPOINT_CDS_DIR", cds.toString(), "MIGRATE_JAVA_OPTS", opts, "JAVA_OPTS", opts));
  }

  @Test
  void bothStepsStartFromTheArchivesItWrites() throws Exception {
    Path cds = trained.resolve("cds");

    assertThat(training.code()).as(training.output()).isZero();
    assertThat(cds.resolve("migrate.jsa")).isNotEmptyFile();
    assertThat(cds.resolve("server.jsa")).isNotEmptyFile();
    assertThat(cds.resolve("native/libsqlitejdbc.so")).isNotEmptyFile();
    assertThat(trained.resolve("unused-data")).as("the training run keeps to a scratch directory").doesNotExist();
    try (RunningApp app = startUsing(cds)) {
      assertThat(app.get("/health").statusCode()).isEqualTo(200);
      assertThat(app.output()).contains("Opened archive " + cds.resolve("migrate.jsa"))
          .contains("Opened archive " + cds.resolve("server.jsa")).doesNotContain("not using");
      assertThat(Files.readString(Path.of("/proc", String.valueOf(app.pid()), "maps")))
          .as("the server loads the native SQLite library cds copied, instead of extracting it again")
          .contains(cds.resolve("native/libsqlitejdbc.so").toString());
    }
  }

  @Test
  void anArchiveOlderThanTheBuildIsLeftAsideWithAHint() throws Exception {
    Path cds = archives();
    FileTime longAgo = FileTime.from(Instant.now().minus(3650, ChronoUnit.DAYS));
    Files.setLastModifiedTime(cds.resolve("migrate.jsa"), longAgo);
    Files.setLastModifiedTime(cds.resolve("server.jsa"), longAgo);

    try (RunningApp app = startUsing(cds)) {
      assertThat(app.get("/health").statusCode()).isEqualTo(200);
      assertThat(app.output()).doesNotContain("Opened archive " + cds).contains("not using " + cds.resolve("migrate.jsa") + ", it is older than this build; run 'entrypoint.sh cds'")
          .contains("not using " + cds.resolve("server.jsa"));
    }
  }

  /**
   * A jar of another size or time than the archive was made with, but not newer than it (a copy
   * that keeps the original's time): the JVM would print "Unable to use shared archive" on every
   * start; the entrypoint leaves the archive aside and says once what to run.
   */
  @Test
  void anArchiveMadeWithOtherJarsIsLeftAsideWithAHintInsteadOfTheJvmsWarning() throws Exception {
    Path cds = archives();
    for (String step : new String[] {"migrate", "server"}) {
      Path madeWith = cds.resolve(step + ".made-with");
      Files.writeString(madeWith, Files.readString(madeWith).replaceFirst("(?m)^(jar \\S+) (\\d+) ", "$1 1$2 "));
    }

    try (RunningApp app = startUsing(cds)) {
      assertThat(app.get("/health").statusCode()).isEqualTo(200);
      assertThat(app.output()).doesNotContain("Opened archive " + cds).doesNotContain("The top archive failed to load")
          .contains("not using " + cds.resolve("migrate.jsa") + ", it was made for another JVM or other jars")
          .contains("not using " + cds.resolve("server.jsa")).contains("run 'entrypoint.sh cds'");
    }
  }

  /**
   * Ours extends the JDK's own class-data archive: when that one is written anew (java -Xshare:dump, the JDK package
   * reinstalled), the JVM drops ours without a word, so a start must notice it and say what to run.
   */
  @Test
  void anArchiveMadeOnAnotherOfTheJdksOwnArchivesIsLeftAsideWithAHint() throws Exception {
    Path cds = archives();
    for (String step : new String[] {"migrate", "server"}) {
      Path madeWith = cds.resolve(step + ".made-with");
      String recorded = Files.readString(madeWith);
      assertThat(recorded).containsPattern("(?m)^base \\d+ \\d+$");
      Files.writeString(madeWith, recorded.replaceFirst("(?m)^base (\\d+) ", "base 1$1 "));
    }

    try (RunningApp app = startUsing(cds)) {
      assertThat(app.get("/health").statusCode()).isEqualTo(200);
      assertThat(app.output()).doesNotContain("Opened archive " + cds)
          .contains("not using " + cds.resolve("migrate.jsa") + ", it was made for another JVM or other jars")
          .contains("not using " + cds.resolve("server.jsa")).contains("run 'entrypoint.sh cds'");
    }
  }

  /** An archive cut short (a full disk, an interrupted copy) with its time kept: the JVM died of SIGBUS mapping it. */
  @Test
  void aTruncatedArchiveIsLeftAsideAndTheAppStarts() throws Exception {
    Path cds = archives();
    for (String step : new String[] {"migrate", "server"}) {
      Path archive = cds.resolve(step + ".jsa");
      FileTime made = Files.getLastModifiedTime(archive);
      archive.toFile().setWritable(true);
      try (var channel = java.nio.channels.FileChannel.open(archive, java.nio.file.StandardOpenOption.WRITE)) {
        channel.truncate(1000);
      }
      Files.setLastModifiedTime(archive, made);
    }

    try (RunningApp app = startUsing(cds)) {
      assertThat(app.get("/health").statusCode()).isEqualTo(200);
      assertThat(app.output()).doesNotContain("SIGBUS").doesNotContain("The top archive failed to load")
          .contains("not using " + cds.resolve("migrate.jsa")).contains("not using " + cds.resolve("server.jsa"));
    }
  }
}
