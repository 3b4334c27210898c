package io.piholecheckpoint.core.probe;

import io.piholecheckpoint.core.job.DatabaseTrouble;
import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.DestinationException;
import io.piholecheckpoint.core.offsite.remote.DestinationException.Problem;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.core.offsite.remote.RemoteObject;
import io.piholecheckpoint.core.units.LogText;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Test of a destination, asked for on the Settings page: every call a copy makes, on a small
 * probe object of random bytes — write it, read it back as a copy is checked ({@link Destination#check})
 * and as an adoption reads it ({@link Destination#open}), compare, delete it, and see it gone
 * (pruning needs that). A user learns now, in words, what the copies would meet later.
 */
final class DestinationProbe {
  private static final Logger log = LoggerFactory.getLogger(DestinationProbe.class);
  /** "; it will be tried again", ". It is tried again later" and the like, as the destinations end a failure that passes. */
  private static final Pattern RETRIED = Pattern.compile("(;\\s*|\\s+)[Ii]t (will be|is) tried again( later)?");
  static final int PROBE_BYTES = 1024;
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Clock clock;

  DestinationProbe(Clock clock) {
    this.clock = clock;
  }

  /** A step that failed: what was being done, and the problem in the destination's words. */
  private static final class StepFailed extends Exception {
    private static final long serialVersionUID = 1L;
    private final String step;
    private final Problem problem;

    StepFailed(String step, Problem problem, String message) {
      super(message);
      this.step = step;
      this.problem = problem;
    }
  }

  TestOutcome run(OffsiteTarget target) {
    Destination destination = target.destination();
    byte[] probe = new byte[PROBE_BYTES];
    RANDOM.nextBytes(probe);
    // at the top, beside no instance's folder: nothing else is ever stored there, and no folder is left behind
    String key = "checkpoint-test-" + HexFormat.of().formatHex(probe, 0, 8) + ".probe";
    Instant at = clock.instant();
    long started = System.nanoTime();
    boolean written = false;
    try {
      act("write", () -> destination.put(key, new ByteArrayInputStream(probe), probe.length));
      written = true;
      readBack(destination, key, probe);
      act("delete", () -> destination.delete(key));
      written = false;
      if (step("check the deletion", () -> destination.check(key)).isPresent()) {
        throw new StepFailed("check the deletion", Problem.FAILED, "the probe " + key + " is still at " + destination.describe()
            + " after it was deleted: the destination's retention could not prune old copies; allow deleting for these credentials");
      }
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      log.info("Off-site destination {} tested: wrote, read back and deleted a probe in {} ms", target.name(), took.toMillis());
      return new TestOutcome(target.name(), at, true, null, null, "wrote, read back and deleted a probe", took);
    } catch (StepFailed e) {
      if (written) {
        deleteQuietly(destination, key);
      }
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      String message = e.step + " failed: " + e.getMessage();
      log.warn("Off-site destination {} tested: {}", target.name(), LogText.of(message));
      return new TestOutcome(target.name(), at, false, e.step, e.problem, message, took);
    }
  }

  private static void readBack(Destination destination, String key, byte[] probe) throws StepFailed {
    RemoteObject there = step("read back", () -> destination.check(key)).orElseThrow(() -> new StepFailed("read back", Problem.MISSING,
        "the probe " + key + " is not at " + destination.describe() + " right after it was written"));
    String sha256 = sha256(probe);
    if (there.size() != probe.length || !sha256.equalsIgnoreCase(there.sha256())) {
      throw new StepFailed("read back", Problem.FAILED, destination.describe() + " gives back " + there.size() + " bytes with SHA-256 "
          + there.sha256() + " for the probe of " + probe.length + " bytes with SHA-256 " + sha256 + " it was sent: copies there would not verify");
    }
    byte[] read = step("read back", () -> {
      try (InputStream in = destination.open(key)) {
        return in.readNBytes(probe.length + 1);
      }
    });
    if (!Arrays.equals(read, probe)) {
      throw new StepFailed("read back", Problem.FAILED, "reading the probe from " + destination.describe() + " gave " + read.length
          + " bytes that differ from the " + probe.length + " written: copies there could not be restored");
    }
  }

  private interface Call<T> {
    T call() throws IOException;
  }

  private interface Action {
    void run() throws IOException;
  }

  private static void act(String step, Action action) throws StepFailed {
    step(step, () -> {
      action.run();
      return null;
    });
  }

  /** The destination's own message, which says what failed and what to do; anything else said plainly, its details logged. */
  private static <T> T step(String step, Call<T> call) throws StepFailed {
    try {
      return call.call();
    } catch (DestinationException e) {
      throw new StepFailed(step, e.problem(), untried(e.getMessage()));
    } catch (IOException e) {
      throw new StepFailed(step, Problem.FAILED, e.getMessage());
    } catch (RuntimeException e) {
      // the database in trouble (a destination added in Settings holds its row while it is written) is expected and documented:
      // the test's one WARN line says it and what to do, as every other path does (JobFailures), with no trace
      Optional<String> database = DatabaseTrouble.describe(e);
      if (database.isPresent()) {
        throw new StepFailed(step, Problem.FAILED, database.get() + "; nothing was kept at the destination — press Test again then");
      }
      log.error("Off-site test: {} failed unexpectedly", step, e);
      throw new StepFailed(step, Problem.FAILED, "an unexpected error (" + e.getClass().getSimpleName() + "); the server log has the details");
    }
  }

  /** The destination's message without its promise of another try, which the queue keeps and a Test does not: it runs once. */
  private static String untried(String message) {
    return RETRIED.matcher(message).replaceAll("");
  }

  private static void deleteQuietly(Destination destination, String key) {
    try {
      destination.delete(key);
    } catch (IOException | RuntimeException e) {
      log.warn("Off-site test: the probe {} could not be deleted from {}: {}", key, LogText.of(destination.describe()), LogText.of(e.getMessage()));
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
