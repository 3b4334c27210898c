package io.piholecheckpoint.core.offsite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Check again (Settings, {@code POST /api/v1/offsite/{name}/check}) reads a damaged copy back and finds it what was sent again
 * (put right by hand): the backup whose archive is damaged on this disk too showed its verify error, and read as damaged,
 * until someone opened it. Now its archive is put right from that copy at the check, so the list and the API show the state
 * as of the check.
 */
class CheckAgainPutsBackupRightTest {
  @TempDir
  Path dir;

  @AutoClose
  private OffsiteGraph graph;

  @Test
  void aBackupDamagedHereWhoseCopyIsVerifiedAgainShowsNoVerifyErrorAfterTheCheck() throws Exception {
    graph = OffsiteGraph.encrypted(dir, "NAS");
    Backup backup = graph.backUp();
    assertThat(graph.offsite.runDue()).isEqualTo(1);
    Path local = graph.backupDir.resolve(backup.fileName());
    byte[] damagedHere = Files.readAllBytes(local);
    damagedHere[damagedHere.length / 2] ^= 1;
    Files.write(local, damagedHere);
    Path stored = graph.root("NAS").resolve(graph.copies.findByBackup(backup.id()).get(0).remoteKey());
    byte[] sent = Files.readAllBytes(stored);
    byte[] damagedThere = sent.clone();
    damagedThere[damagedThere.length / 2] ^= 1;
    Files.write(stored, damagedThere);
    assertThatThrownBy(() -> graph.archives.open(backup.fileName()).close()).as("damaged here and there");
    assertThat(graph.backupRepository.findById(backup.id()).orElseThrow().verifyError()).as("the backup's check failed").isNotNull();
    Files.write(stored, sent); // the copy put right by hand

    CheckAgain.Outcome outcome = graph.checkAgain.check("NAS");

    assertThat(outcome.verifiedAgain()).extracting(CheckAgain.Found::backupId).containsExactly(backup.id());
    assertThat(graph.backupRepository.findById(backup.id()).orElseThrow().verifyError()).as("shown as of the check, not as of the next open").isNull();
    assertThat(local).as("replaced by the verified copy").hasBinaryContent(Fixtures.archiveA());
  }
}
