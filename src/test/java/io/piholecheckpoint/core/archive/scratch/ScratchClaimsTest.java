package io.piholecheckpoint.core.archive.scratch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * This process's claims are known by path, or by the lock file's identity when the folder is reached by another path. A
 * claim an earlier app of the same JVM never released (its folder deleted, as a test's temporary folder is) must not make
 * a killed run's file elsewhere look held because the file system gave its lock file the claim's freed inode.
 */
class ScratchClaimsTest {
  @TempDir
  Path dir;

  /**
   * The leak itself cannot be made here: a leaked claim's open channel keeps its inode from reuse. So the claim is made as
   * the table holds it, of a lock file that is gone since, and the file system is asked for the freed inode as Linux's
   * ext4 hands it out: a file made in the same folder right after the delete.
   */
  @Test
  void aClaimWhoseLockFileIsGoneIsNotTheClaimOfANewLockFileThatReusedItsInode() throws Exception {
    Path gone = Files.createFile(dir.resolve("leaked.part.lock"));
    ScratchClaims.Claim leaked = new ScratchClaims.Claim(gone, null, key(gone));
    Files.delete(gone);
    Path reused = null;
    for (int i = 0; i < 100 && reused == null; i++) {
      Path made = Files.createFile(dir.resolve("killed-" + i + ".part.lock"));
      if (key(made).equals(leaked.fileKey())) {
        reused = made;
      } else {
        Files.delete(made);
      }
    }
    assumeTrue(reused != null, "the file system gave no new file the freed inode");

    assertThat(leaked.isOf(key(reused))).isFalse();
  }

  @Test
  void aFileThisProcessHoldsIsKeptWhenItsFolderIsReachedThroughALink() throws Exception {
    ScratchDirectory real = ScratchDirectory.of(Files.createDirectories(dir.resolve("real")));
    Path held = real.createHeld("held-");
    try {
      ScratchDirectory linked = ScratchDirectory.of(Files.createSymbolicLink(dir.resolve("linked"), dir.resolve("real")));

      assertThat(linked.removeAbandoned()).isZero();
      assertThat(held).exists();
    } finally {
      ScratchDirectory.release(held);
    }
  }

  private static Object key(Path file) throws IOException {
    return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
  }
}
