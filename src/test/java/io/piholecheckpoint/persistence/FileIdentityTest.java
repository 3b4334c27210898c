package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.job.DatabaseFileGoneException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whether the path still names the file opened, on real files: removed, replaced, put back, not there yet; never on PostgreSQL. */
class FileIdentityTest {
  @TempDir
  Path dir;

  private Path file() throws Exception {
    return Files.writeString(dir.resolve("checkpoint.db"), "opened");
  }

  @Test
  void aRemovedFileIsSaidGoneAndRefusesWrites() throws Exception {
    FileIdentity identity = new FileIdentity(file());
    assertThat(identity.problem()).isNull();

    Files.delete(dir.resolve("checkpoint.db"));

    assertThat(identity.problem()).contains("was removed or replaced while the app ran (removed or renamed")
        .endsWith("restart the app to use the file now at that path, or put the old file back");
    assertThatThrownBy(identity::requireSame).isInstanceOf(DatabaseFileGoneException.class);
  }

  @Test
  void anotherFileMovedInIsSaidReplacedAndTheDriverOpensNoConnectionToIt() throws Exception {
    FileIdentity identity = new FileIdentity(file());

    Files.move(Files.writeString(dir.resolve("other.db"), "other"), dir.resolve("checkpoint.db"), StandardCopyOption.REPLACE_EXISTING);

    assertThat(identity.problem()).contains("replaced: another file is at that path now");
    assertThatThrownBy(() -> identity.guarding(new org.sqlite.JDBC()).connect("jdbc:sqlite:" + dir.resolve("checkpoint.db"), null))
        .isInstanceOf(SQLException.class).hasCauseInstanceOf(DatabaseFileGoneException.class);
  }

  @Test
  void theSameFilePutBackIsFineAgain() throws Exception {
    FileIdentity identity = new FileIdentity(file());
    Files.move(dir.resolve("checkpoint.db"), dir.resolve("aside.db"));
    assertThat(identity.problem()).isNotNull();

    Files.move(dir.resolve("aside.db"), dir.resolve("checkpoint.db"));

    assertThat(identity.problem()).isNull();
  }

  @Test
  void aFileNotThereAtOpenIsTheFirstOneSeenThere() throws Exception {
    FileIdentity identity = new FileIdentity(dir.resolve("checkpoint.db"));
    assertThat(identity.problem()).as("nothing yet: the migration step creates it").isNull();

    file();

    assertThat(identity.problem()).isNull();
    Files.delete(dir.resolve("checkpoint.db"));
    assertThat(identity.problem()).isNotNull();
  }

  @Test
  void postgresqlHasNoFileToCheck() {
    try (Database database = Database.openPostgres("jdbc:postgresql://127.0.0.1:9/none", null, null)) {
      assertThat(database.fileGone()).isNull();
    }
  }
}
