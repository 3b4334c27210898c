package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outsider round 49 (F5): a first start killed in its migration step left an empty checkpoint.db, which every later start
 * refused as a lost catalogue. A new catalogue is made under another name and appears at its own only whole.
 */
class NewCatalogueTest {
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @TempDir
  Path dir;

  @Test
  void whileANewCatalogueIsMadeNothingIsAtItsNameAndAfterwardsItIsWholeWithNothingBesideIt() throws Exception {
    Path file = dir.resolve("checkpoint.db");
    List<Boolean> seenDuring = new ArrayList<>();

    boolean made = NewCatalogue.makeIfMissing(file, Database::open, database -> {
      Migrations.migrate(database, QUIET);
      seenDuring.add(Files.exists(file));
    });

    assertThat(made).isTrue();
    assertThat(seenDuring).containsExactly(false);
    try (Database database = Database.open(file)) {
      assertThat(Migrations.state(database).pending()).isZero();
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left").allMatch(n -> n.startsWith("checkpoint.db")
          && !n.contains(".new"));
    }
  }

  @Test
  void aNewCatalogueAStartStoppedInTheMiddleOfMakingLeavesNoCatalogueAndTheNextStartMakesItAnew() throws Exception {
    Path file = dir.resolve("checkpoint.db");
    // what a kill leaves: the temporary file, empty or half made, with its journal
    Files.write(dir.resolve("checkpoint.db.new"), new byte[0]);
    Files.write(dir.resolve("checkpoint.db.new-journal"), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> NewCatalogue.makeIfMissing(file, Database::open, database -> {
      throw new IllegalStateException("stopped");
    })).hasMessage("stopped");
    assertThat(file).as("no catalogue at its name after a stop").doesNotExist();

    boolean made = NewCatalogue.makeIfMissing(file, Database::open, database -> Migrations.migrate(database, QUIET));

    assertThat(made).isTrue();
    try (Database database = Database.open(file)) {
      assertThat(Migrations.state(database).pending()).isZero();
    }
    assertThat(dir.resolve("checkpoint.db.new")).doesNotExist();
    assertThat(dir.resolve("checkpoint.db.new-journal")).doesNotExist();
  }

  @Test
  void aCatalogueThatIsThereIsLeftToTheRegularOpen() throws Exception {
    Path file = Files.write(dir.resolve("checkpoint.db"), new byte[0]);

    boolean made = NewCatalogue.makeIfMissing(file, Database::open, database -> {
      throw new AssertionError("not made again");
    });

    assertThat(made).isFalse();
    assertThat(file).isEmptyFile();
  }
}
