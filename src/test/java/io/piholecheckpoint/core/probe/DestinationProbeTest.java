package io.piholecheckpoint.core.probe;

import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.core.offsite.remote.DestinationDisabledException;
import io.piholecheckpoint.core.offsite.remote.DestinationException;
import io.piholecheckpoint.core.offsite.remote.DestinationException.Problem;
import io.piholecheckpoint.core.offsite.remote.DestinationNotFoundException;
import io.piholecheckpoint.core.offsite.catalog.OffsiteCatalog;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.core.offsite.remote.OffsiteTargets;
import io.piholecheckpoint.core.offsite.remote.RemoteObject;
import io.piholecheckpoint.offsite.file.FileDestination;
import io.piholecheckpoint.testing.ForwardingDestination;
import io.piholecheckpoint.testing.MovableClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Test button's probe against a real directory, and against destinations that misbehave in one way each. */
class DestinationProbeTest {
  @TempDir
  Path dir;

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-03T02:00:00Z"));

  private Destination directory(Path root) {
    return new FileDestination(new DestinationConfig("NAS", URI.create(root.toUri().toString()), Map.of(), DestinationConfig.DEFAULT_TIMEOUT));
  }

  private DestinationTests service(Destination destination, Map<String, String> disabled) {
    OffsiteTarget target = new OffsiteTarget("NAS", destination, List.of(), OffsiteTarget.RemoteRetention.INSTANCES_OWN, true);
    // the Test needs only the destinations: no queue, no pruning
    return new DestinationTests(new OffsiteCatalog(new OffsiteTargets(List.of(target), disabled), null, clock), clock);
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(p -> !p.equals(root)).toList();
    }
  }

  @Test
  void writesReadsBackAndDeletesAProbeLeavingNothingBehind() throws IOException {
    Path root = Files.createDirectories(dir.resolve("nas"));
    DestinationTests offsite = service(directory(root), Map.of());

    TestOutcome outcome = offsite.test("nas");

    assertThat(outcome.ok()).isTrue();
    assertThat(outcome.destination()).isEqualTo("NAS");
    assertThat(outcome.at()).isEqualTo(clock.instant());
    assertThat(outcome.message()).isEqualTo("wrote, read back and deleted a probe");
    assertThat(outcome.step()).isNull();
    assertThat(files(root)).isEmpty();
    assertThat(offsite.lastOutcomes()).containsEntry("NAS", outcome);
  }

  @Test
  void saysWhichStepFailedAndWhyWhenTheShareIsNotThere() throws IOException {
    DestinationTests offsite = service(directory(Files.writeString(dir.resolve("not-a-folder"), "")), Map.of());

    TestOutcome outcome = offsite.test("NAS");

    assertThat(outcome.ok()).isFalse();
    assertThat(outcome.step()).isEqualTo("write");
    assertThat(outcome.problem()).isEqualTo(Problem.UNREACHABLE);
    assertThat(outcome.message()).startsWith("write failed: ").contains("is the disk or share mounted?");
  }

  /** The words of the S3, SFTP and WebDAV destinations for a failure that passes: the queue tries again, a Test does not. */
  @ParameterizedTest
  @ValueSource(strings = {
      "putting the object failed: connection refused; it will be tried again",
      "connecting to 127.0.0.1:1 failed (Connection refused): is it up and the address and port right? It will be tried again",
      "the server did not answer within 5 s; it will be tried again (a slow or stalled server, or a firewall dropping packets)",
      "PUT timed out after 5 s: the server or the line is too slow or down; it is tried again later"})
  void aFailedTestDoesNotSayItWillBeTriedAgain(String said) throws IOException {
    Destination down = new ForwardingDestination(directory(Files.createDirectories(dir.resolve("nas")))) {
      @Override
      public void put(String key, InputStream in, long length) throws IOException {
        throw new DestinationException(Problem.UNREACHABLE, said);
      }
    };

    TestOutcome outcome = service(down, Map.of()).test("NAS");

    assertThat(outcome.ok()).isFalse();
    assertThat(outcome.message()).startsWith("write failed: " + said.substring(0, 20)).doesNotContainIgnoringCase("tried again");
  }

  @Test
  void failsWhenWhatComesBackIsNotWhatWasWrittenAndRemovesTheProbe() throws IOException {
    Path root = Files.createDirectories(dir.resolve("nas"));
    Destination flipping = new ForwardingDestination(directory(root)) {
      @Override
      public InputStream open(String key) throws IOException {
        byte[] bytes = super.open(key).readAllBytes();
        bytes[7] ^= 1;
        return new ByteArrayInputStream(bytes);
      }
    };

    TestOutcome outcome = service(flipping, Map.of()).test("NAS");

    assertThat(outcome.ok()).isFalse();
    assertThat(outcome.step()).isEqualTo("read back");
    assertThat(outcome.message()).contains("differ from the 1024 written");
    assertThat(files(root)).as("the probe is deleted after a failure too").isEmpty();
  }

  @Test
  void failsWhenTheDestinationReportsAnotherChecksum() throws IOException {
    Destination lying = new ForwardingDestination(directory(Files.createDirectories(dir.resolve("nas")))) {
      @Override
      public Optional<RemoteObject> check(String key) throws IOException {
        return super.check(key).map(o -> new RemoteObject(o.key(), o.size(), "0".repeat(64), o.modified()));
      }
    };

    TestOutcome outcome = service(lying, Map.of()).test("NAS");

    assertThat(outcome.ok()).isFalse();
    assertThat(outcome.message()).contains("gives back 1024 bytes with SHA-256 000", "copies there would not verify");
  }

  @Test
  void failsWhenADeletedProbeIsStillThere() throws IOException {
    Path root = Files.createDirectories(dir.resolve("nas"));
    Destination keeping = new ForwardingDestination(directory(root)) {
      @Override
      public void delete(String key) {
        // a store whose credentials may write but not delete answers as if it had
      }
    };

    TestOutcome outcome = service(keeping, Map.of()).test("NAS");

    assertThat(outcome.ok()).isFalse();
    assertThat(outcome.step()).isEqualTo("check the deletion");
    assertThat(outcome.message()).contains("still at", "allow deleting");
  }

  @Test
  void saysAnUnexpectedErrorPlainlyWithoutItsDetails() throws IOException {
    Destination broken = new ForwardingDestination(directory(Files.createDirectories(dir.resolve("nas")))) {
      @Override
      public void put(String key, InputStream in, long length) {
        throw new IllegalStateException("secret=hunter2 in a library's message");
      }
    };

    TestOutcome outcome = service(broken, Map.of()).test("NAS");

    assertThat(outcome.ok()).isFalse();
    assertThat(outcome.message()).isEqualTo("write failed: an unexpected error (IllegalStateException); the server log has the details");
  }

  /** A destination added in Settings holds its row while it is written: a busy database there was an ERROR with a trace. */
  @Test
  void aBusyDatabaseIsOneWarnLineSayingWhatToDoAndLeavesNoProbe() throws IOException {
    Path root = Files.createDirectories(dir.resolve("nas"));
    Destination busyAtTheRead = new ForwardingDestination(directory(root)) {
      @Override
      public Optional<RemoteObject> check(String key) {
        throw new IllegalStateException("### Error querying database", new io.piholecheckpoint.core.job.DatabaseBusyException(
            io.piholecheckpoint.core.job.DatabaseBusyException.Access.READ, io.piholecheckpoint.core.job.DatabaseBusyException.Limit.FILE_LOCKED,
            new java.sql.SQLException("[SQLITE_BUSY] The database file is locked (database is locked)")));
      }
    };

    TestOutcome outcome;
    String logged;
    try (io.piholecheckpoint.testing.CapturedOutput output = io.piholecheckpoint.testing.CapturedOutput.start()) {
      outcome = service(busyAtTheRead, Map.of()).test("NAS");
      logged = output.text();
    }

    assertThat(outcome.ok()).isFalse();
    assertThat(outcome.message()).startsWith("read back failed: the database was busy").endsWith("press Test again then");
    assertThat(logged.lines().filter(l -> l.contains("DestinationProbe"))).singleElement().asString()
        .contains("WARN", "Off-site destination NAS tested: read back failed: the database was busy");
    assertThat(logged).doesNotContain("ERROR", "\tat ", "Exception");
    assertThat(files(root)).isEmpty();
  }

  @Test
  void refusesADestinationThatIsDisabledOrUnknown() throws IOException {
    DestinationTests offsite = service(directory(Files.createDirectories(dir.resolve("nas"))), Map.of("USB", "OFFSITE_USB_URL must start with …"));

    assertThatThrownBy(() -> offsite.test("usb")).isInstanceOf(DestinationDisabledException.class)
        .hasMessageContaining("USB is disabled: OFFSITE_USB_URL must start with");
    assertThatThrownBy(() -> offsite.test("B2")).isInstanceOf(DestinationNotFoundException.class)
        .hasMessage("no off-site destination 'B2' is configured (there are NAS)");
  }
}
