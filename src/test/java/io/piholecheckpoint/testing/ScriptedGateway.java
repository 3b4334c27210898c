package io.piholecheckpoint.testing;

import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.gateway.PiholeGateway;
import io.piholecheckpoint.core.gateway.PiholeSession;
import io.piholecheckpoint.core.gateway.PiholeTarget;
import io.piholecheckpoint.core.gateway.PiholeVersions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A PiholeGateway that answers with a given archive or failure, and counts what it did. */
public final class ScriptedGateway implements PiholeGateway {
  /**
   * How long an export waits at a closed gate, and a test for one to start: bounds for a test that
   * went wrong, not guesses at how long the work takes: long enough for a machine busy with other builds.
   */
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private volatile byte[] answer = Fixtures.archiveA();
  private volatile RuntimeException failure;
  private volatile java.util.function.Supplier<List<String>> importer = () -> {
    throw new UnsupportedOperationException("the scripted gateway only exports");
  };
  private volatile PiholeException restartFailure;
  private volatile CountDownLatch gate;
  private final CountDownLatch exportStarted = new CountDownLatch(1);
  private final AtomicInteger openSessions = new AtomicInteger();
  private final AtomicInteger failuresLeft = new AtomicInteger(Integer.MAX_VALUE);
  private final AtomicInteger logins = new AtomicInteger();
  private final AtomicInteger restartWaits = new AtomicInteger();
  private final AtomicInteger restartFailuresLeft = new AtomicInteger(Integer.MAX_VALUE);
  private final AtomicInteger concurrentExports = new AtomicInteger();
  private final AtomicInteger maxConcurrentExports = new AtomicInteger();

  /** What an import does: by default it throws an exception nobody classified. */
  public void onImport(java.util.function.Supplier<List<String>> importer) {
    this.importer = importer;
  }

  /** The wait for FTL's restart after an import ends with {@code e}: a Pi-hole not ready within the limit. */
  public void failRestart(PiholeException e) {
    this.restartFailure = e;
  }

  /** Only the next wait for FTL's restart ends with {@code e} (a session the Pi-hole ended as it went down); later ones see it back. */
  public void failNextRestart(PiholeException e) {
    this.restartFailure = e;
    this.restartFailuresLeft.set(1);
  }

  /** The waits for FTL's restart asked of any session so far. */
  public int restartWaits() {
    return restartWaits.get();
  }

  public void answer(byte[] bytes) {
    this.answer = bytes;
  }

  public void fail(RuntimeException e) {
    this.failure = e;
  }

  /** The next {@code times} logins fail with {@code e}, later ones succeed. */
  public void failTimes(int times, PiholeException e) {
    this.failure = e;
    this.failuresLeft.set(times);
  }

  public int logins() {
    return logins.get();
  }

  /** Exports wait at the gate until {@link #openGate()}. */
  public void closeGate() {
    this.gate = new CountDownLatch(1);
  }

  public void openGate() {
    gate.countDown();
  }

  public boolean awaitExportStarted() throws InterruptedException {
    return exportStarted.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
  }

  public int openSessions() {
    return openSessions.get();
  }

  /** Exports running now (waiting at the gate or reading). */
  public int exportsInProgress() {
    return concurrentExports.get();
  }

  public int maxConcurrentExports() {
    return maxConcurrentExports.get();
  }

  @Override
  public void cancelDownloads() {
    // its answers come from memory at once: there is nothing in flight to cut off
  }

  @Override
  public PiholeSession open(PiholeTarget target) {
    logins.incrementAndGet();
    if (failure != null && failuresLeft.getAndDecrement() > 0) {
      throw failure;
    }
    openSessions.incrementAndGet();
    return new PiholeSession() {
      @Override
      public PiholeVersions versions() {
        return new PiholeVersions("v6.2.2", "v6.4.1", null);
      }

      @Override
      public String authentication() {
        return "password";
      }

      @Override
      public Integer seatsInUse() {
        return 1;
      }

      @Override
      public <T> T exportTeleporter(StreamReader<T> reader) {
        maxConcurrentExports.accumulateAndGet(concurrentExports.incrementAndGet(), Math::max);
        try {
          exportStarted.countDown();
          CountDownLatch g = gate;
          if (g != null && !g.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test never opened the gate");
          }
          return reader.read(new ByteArrayInputStream(answer));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        } finally {
          concurrentExports.decrementAndGet();
        }
      }

      @Override
      public List<String> importTeleporter(java.nio.file.Path archive, io.piholecheckpoint.core.gateway.ImportScope scope) {
        return importer.get();
      }

      @Override
      public java.util.Optional<String> patchConfig(String dottedKey, String jsonValue) {
        throw new UnsupportedOperationException("the scripted gateway only exports");
      }

      @Override
      public void awaitRestart(java.time.Duration limit) {
        restartWaits.incrementAndGet();
        if (restartFailure != null && restartFailuresLeft.getAndDecrement() > 0) {
          throw restartFailure;
        }
      }

      @Override
      public void close() {
        openSessions.decrementAndGet();
      }
    };
  }
}
