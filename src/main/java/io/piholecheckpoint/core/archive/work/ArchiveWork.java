package io.piholecheckpoint.core.archive.work;

import io.piholecheckpoint.core.archive.ArchiveBusyException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The few permits for heavy archive work (inspecting, reading, diffing gravity databases): each such
 * operation costs SQLite native memory and scratch disk that grow with the archive, so without a
 * bound the process grows with the number of requests until it is killed. A thread that holds a
 * permit takes none again (a diff reads two archives, a restore preview exports live and diffs), so
 * nesting neither deadlocks nor uses two. Interactive callers wait up to a bound and then get
 * {@link ArchiveBusyException}; {@link #patiently} marks work (scheduled backups, restores) that waits
 * as long as it takes.
 */
public final class ArchiveWork {
  /** Work that may throw what the archive ports throw. */
  @FunctionalInterface
  public interface Task<T, E extends Exception> {
    T run() throws E;
  }

  /** How an interactive caller waits for a permit: up to the bound, in production. */
  @FunctionalInterface
  interface PermitWait {
    boolean tryAcquire(Semaphore permits, Duration bound) throws InterruptedException;
  }

  private final Semaphore permits;
  private final Duration interactiveWait;
  private final PermitWait permitWait;
  private final ThreadLocal<Hold> held = ThreadLocal.withInitial(Hold::new);
  /** The threads' holds that have a permit now: what work waiting for a turn waits behind. */
  private final Set<Hold> holding = ConcurrentHashMap.newKeySet();

  private static final class Hold {
    int depth;
    boolean patient;
    Waits waits = Waits.SILENT;
    /** What the thread does, as work waiting behind it names it ("a backup of 'Office'"); null when nobody said. Read by other threads. */
    volatile String doing;
  }

  /** Told when patient work finds every permit taken and waits, and when its turn came after such a wait: to say so meanwhile. */
  public interface Waits {
    Waits SILENT = new Waits() {
      @Override
      public void waiting(Optional<String> behind) {
      }

      @Override
      public void turnCame() {
      }
    };

    /** @param behind the work that holds the turns as the wait begins, as {@link #busyWith()} names it */
    void waiting(Optional<String> behind);

    void turnCame();
  }

  /**
   * Says through {@code say} (a record's message) what long patient work does now, and while its archive work waits for a
   * turn, that it waits: a restore of a large archive runs for minutes, first behind the backups, and "started" said nothing.
   */
  public static final class Steps implements Waits {
    private final java.util.function.Consumer<String> say;
    private volatile String step = "started";

    public Steps(java.util.function.Consumer<String> say) {
      this.say = say;
    }

    /** The work now does {@code what}. */
    public void now(String what) {
      step = what;
      say.accept(what);
    }

    public String step() {
      return step;
    }

    @Override
    public void waiting(Optional<String> behind) {
      // named when known: "other archive work" sent people looking for what ran, with no way to tell how long it would take
      say.accept(step + behind.map(work -> ": waiting for its turn, taken by " + work + " (ARCHIVE_PARALLEL at once)")
          .orElse(": waiting for its turn, as other archive work (backups' checks, previews, diffs) takes every turn (ARCHIVE_PARALLEL)"));
    }

    @Override
    public void turnCame() {
      say.accept(step);
    }
  }

  /** No bound: for parts built without the composition root, e.g. in tests of other behaviour. */
  public static ArchiveWork unbounded() {
    return new ArchiveWork(Integer.MAX_VALUE, Duration.ZERO);
  }

  public ArchiveWork(int permits, Duration interactiveWait) {
    this(permits, interactiveWait, (semaphore, bound) -> semaphore.tryAcquire(bound.toMillis(), TimeUnit.MILLISECONDS));
  }

  /** With a wait of the test's choosing: the bound (and the retry hint drawn from it) without sitting it out. */
  ArchiveWork(int permits, Duration interactiveWait, PermitWait permitWait) {
    if (permits < 1) {
      throw new IllegalArgumentException("at least one archive operation must be allowed, not " + permits);
    }
    this.permits = new Semaphore(permits, true);
    this.interactiveWait = interactiveWait;
    this.permitWait = permitWait;
  }

  /** What this thread does, named until closed. */
  public interface Doing extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Names the work this thread does from now until the result is closed ("a backup of 'Office'", "a restore to 'Home'"):
   * work that waits for a turn meanwhile says what it waits behind. Nested, the inner name holds until it is closed.
   */
  public Doing doing(String what) {
    Hold hold = held.get();
    String before = hold.doing;
    hold.doing = what;
    return () -> hold.doing = before;
  }

  /**
   * The work holding turns now, by the names it was given ({@link #doing}): "a backup of 'Office' and a restore to 'Home'",
   * with "other archive work" added for turns held by work without a name; empty when no holder has a name.
   */
  public Optional<String> busyWith() {
    List<String> named = holding.stream().map(h -> h.doing).filter(Objects::nonNull).distinct().sorted().toList();
    if (named.isEmpty()) {
      return Optional.empty();
    }
    boolean others = holding.stream().anyMatch(h -> h.doing == null);
    String listed = named.size() == 1 ? named.get(0)
        : String.join(", ", named.subList(0, named.size() - 1)) + (others ? ", " : " and ") + named.get(named.size() - 1);
    return Optional.of(listed + (others ? " and other archive work (checks, previews, diffs)" : ""));
  }

  /** A permit held until closed; closing it twice is harmless. */
  public interface Permit extends AutoCloseable {
    @Override
    void close();
  }

  /** Runs {@code task} with a permit, taking one unless this thread already holds one. */
  public <T, E extends Exception> T run(Task<T, E> task) throws E {
    try (Permit permit = take()) {
      return task.run();
    }
  }

  /**
   * Takes a permit, unless this thread already holds one: then it only counts the nesting.
   *
   * @throws ArchiveBusyException when an interactive caller waited its bound in vain
   */
  public Permit take() {
    Hold hold = held.get();
    if (hold.depth == 0) {
      acquire(hold);
      holding.add(hold);
    }
    hold.depth++;
    return permitOf(hold);
  }

  private Permit permitOf(Hold hold) {
    return new Permit() {
      private boolean closed;

      @Override
      public void close() {
        if (!closed) {
          closed = true;
          hold.depth--;
          if (hold.depth == 0) {
            holding.remove(hold);
            permits.release();
          }
        }
      }
    };
  }

  /** Runs {@code task} so that the archive work inside it waits for a permit as long as it takes. */
  public <T, E extends Exception> T patiently(Task<T, E> task) throws E {
    return patiently(held.get().waits, task);
  }

  /** As {@link #patiently(Task)}, telling {@code waits} when the work inside waits for its turn and when the turn came. */
  public <T, E extends Exception> T patiently(Waits waits, Task<T, E> task) throws E {
    Hold hold = held.get();
    boolean was = hold.patient;
    Waits before = hold.waits;
    hold.patient = true;
    hold.waits = waits;
    try {
      return task.run();
    } finally {
      hold.patient = was;
      hold.waits = before;
    }
  }

  /**
   * A permit if one is free now and nobody waits for one (fairly: it does not jump the line), or this thread holds one
   * already; empty otherwise. For work that can be done later instead of waiting now.
   */
  public Optional<Permit> takeNow() {
    Hold hold = held.get();
    try {
      if (hold.depth == 0) {
        if (!permits.tryAcquire(0, TimeUnit.MILLISECONDS)) {
          return Optional.empty();
        }
        holding.add(hold);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
    hold.depth++;
    return Optional.of(permitOf(hold));
  }

  /** How many threads wait for a permit now (an estimate, for metrics and tests). */
  public int waiting() {
    return permits.getQueueLength();
  }

  private void acquire(Hold hold) {
    try {
      if (hold.patient) {
        if (!permits.tryAcquire(0, TimeUnit.MILLISECONDS)) { // fair: a free permit is not taken before those already waiting
          hold.waits.waiting(busyWith());
          permits.acquire();
          try {
            hold.waits.turnCame();
          } catch (RuntimeException e) {
            permits.release(); // taken for nothing: the work does not run
            throw e;
          }
        }
      } else if (!permitWait.tryAcquire(permits, interactiveWait)) {
        throw new ArchiveBusyException(retryAfterSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ArchiveBusyException(retryAfterSeconds(), e);
    }
  }

  private long retryAfterSeconds() {
    return Math.max(1, Math.min(30, interactiveWait.toSeconds()));
  }
}
