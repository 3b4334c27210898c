package io.piholecheckpoint.core.offsite.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.job.DatabaseBusyException;
import io.piholecheckpoint.core.offsite.OffsiteGraph;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.core.offsite.queue.CopyRepository;
import io.piholecheckpoint.crypto.OpenPgpArchiveCipher;
import io.piholecheckpoint.persistence.MyBatisInstanceRepository;
import io.piholecheckpoint.testing.CapturedOutput;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A busy database met by a copy's own writes (its verified mark, after the upload) cuts the run short, for the job to say in its
 * one WARN line (JobFailures): CopyRunner's catch-all logged it as an ERROR "failed unexpectedly" with a trace and recorded the
 * copy failed with "an unexpected error (DatabaseBusyException)", backing it off as if the destination had failed.
 */
class CopyRunnerDatabaseBusyTest {
  @TempDir
  Path dir;

  @Test
  void aBusyDatabaseAtACopysVerifiedMarkCutsTheRunShortWithoutAnErrorOrAFailedCopy() throws Exception {
    try (OffsiteGraph graph = OffsiteGraph.encrypted(dir, "NAS")) {
      graph.backUp();
      CopyRunner runner = new CopyRunner(graph.targets, busyAtVerifiedMark(graph.copies), new Uploads(graph.archives,
          new OpenPgpArchiveCipher(OffsiteGraph.PASSPHRASE.toCharArray()), graph.backupRepository,
          new MyBatisInstanceRepository(graph.database, graph.clock)), graph.clock, CopyOutcomes.NONE);

      String logged;
      try (CapturedOutput output = CapturedOutput.start()) {
        assertThatThrownBy(() -> runner.runDue(graph.targets.get(0))).isInstanceOf(DatabaseBusyException.class);
        logged = output.text();
      }

      assertThat(logged).doesNotContain("ERROR", "failed unexpectedly", "\tat ");
      assertThat(graph.copies.findDue(java.util.Set.of("NAS"), graph.clock.instant(), 10)).as("still due, not backed off as failed")
          .singleElement().satisfies(copy -> assertThat(copy.lastError()).isNull());
    }
  }

  /** The copies as stored, but the verified mark refused as busy, as the persistence adapter reports SQLite's lock held elsewhere. */
  private static CopyRepository busyAtVerifiedMark(CopyRepository copies) {
    return (CopyRepository) Proxy.newProxyInstance(CopyRepository.class.getClassLoader(), new Class<?>[] {CopyRepository.class},
        (proxy, method, args) -> {
          if (method.getName().equals("markVerified")) {
            throw new DatabaseBusyException(DatabaseBusyException.Access.WRITE, DatabaseBusyException.Limit.FILE_LOCKED,
                new SQLException("[SQLITE_BUSY] The database file is locked (database is locked)"));
          }
          try {
            return method.invoke(copies, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
