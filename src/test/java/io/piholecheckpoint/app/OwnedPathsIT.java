package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.RunningApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Checkpoint empties, chmods or overwrites for itself under BACKUP_DIR and DATA_DIR, found as something else
 * at start (a link to a folder of the user's, a file, a folder), run as entrypoint.sh as a user would: the start
 * stops with one line naming the path and what to do, and nothing outside is deleted, chmod'ed or written.
 */
class OwnedPathsIT {
  @TempDir
  Path dir;

  private Path data;
  private Path backups;
  private Path victim;

  @BeforeEach
  void userFolder() throws Exception {
    data = Files.createDirectories(dir.resolve("data"));
    backups = Files.createDirectories(dir.resolve("backups"));
    victim = Files.createDirectories(dir.resolve("victim"));
    Files.writeString(victim.resolve("precious.txt"), "precious");
    Files.writeString(Files.createDirectories(victim.resolve("sub")).resolve("p2"), "p");
    Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private RunningApp.Exit start() throws Exception {
    return RunningApp.runToExit("run", data, backups, Map.of());
  }

  private void assertVictimUntouched() throws Exception {
    assertThat(victim.resolve("precious.txt")).hasContent("precious");
    assertThat(victim.resolve("sub/p2")).hasContent("p");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(victim))).isEqualTo("rwxr-xr-x");
  }

  private static void assertRefusedInOneLine(RunningApp.Exit exit, Path path, String says) {
    assertThat(exit.code()).isNotZero();
    // said by the web app ("cannot start", among the bad settings when the settings' check finds it: the uploads folder) or, for
    // what the launcher checks itself, by the launcher ("did not start"): once
    assertThat(exit.output()).containsPattern("Pi-hole Checkpoint (cannot|did not) start(: |\\. Configuration error: )" + Pattern.quote(path + " is " + says))
        .containsOnlyOnce(path + " is " + says).contains("start again")
        .doesNotContain("\tat ").doesNotContain("check the permissions of BACKUP_DIR").doesNotContain("check that DATA_DIR is writable");
  }

  @Test
  void aScratchFolderThatIsALinkStopsTheStartAndItsTargetIsNeitherEmptiedNorChmodded() throws Exception {
    Path scratch = Files.createSymbolicLink(backups.resolve(".scratch"), victim);

    RunningApp.Exit exit = start();

    assertRefusedInOneLine(exit, scratch, "a symbolic link (to " + victim + ")");
    assertThat(exit.output()).contains("rm " + scratch);
    assertVictimUntouched();
    assertThat(scratch).isSymbolicLink();
  }

  @Test
  void anUploadsFolderThatIsALinkStopsTheStartAndItsTargetKeepsItsFolders() throws Exception {
    Path uploads = Files.createSymbolicLink(backups.resolve(".uploads"), victim);

    RunningApp.Exit exit = start();

    assertRefusedInOneLine(exit, uploads, "a symbolic link (to " + victim + ")");
    assertVictimUntouched();
  }

  @Test
  void aSchedulerLockThatIsALinkStopsTheStartAndItsTargetIsNotOverwritten() throws Exception {
    Path lock = Files.createSymbolicLink(data.resolve("scheduler.lock"), victim.resolve("precious.txt"));

    RunningApp.Exit exit = start();

    assertRefusedInOneLine(exit, lock, "a symbolic link (to " + victim.resolve("precious.txt") + ")");
    assertVictimUntouched();
  }

  @Test
  void aScratchThatIsAFileIsNamedWithWhatToDo() throws Exception {
    Path scratch = Files.writeString(backups.resolve(".scratch"), "x");

    RunningApp.Exit exit = start();

    assertRefusedInOneLine(exit, scratch, "a file, not a folder");
    assertThat(exit.output()).as("in the one format of the uploads folder's").contains("Pi-hole Checkpoint cannot start. Configuration error: "
        + scratch + " is a file");
  }

  @Test
  void anUploadsThatIsAFileIsNamedWithWhatToDo() throws Exception {
    Path uploads = Files.writeString(backups.resolve(".uploads"), "x");

    assertRefusedInOneLine(start(), uploads, "a file, not a folder");
  }

  @Test
  void aSchedulerLockThatIsAFolderIsNamedWithWhatToDo() throws Exception {
    Path lock = Files.createDirectories(data.resolve("scheduler.lock"));

    assertRefusedInOneLine(start(), lock, "a folder, not a file");
  }
}
