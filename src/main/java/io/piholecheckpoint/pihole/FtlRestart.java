package io.piholecheckpoint.pihole;

import com.fasterxml.jackson.databind.JsonNode;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.gateway.PiholeTarget;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FTL's restart after an import, told apart from the process that answered it. FTL restarts
 * itself some time after answering (about 0.3 s on a fast machine, later on a slow one), keeping
 * its PID: what tells the new process from the old is {@code GET /api/info/ftl}'s {@code uptime},
 * read before the import and again after. A look that only waits a fixed time and takes the
 * first answer as "back" goes on with the old process, which then goes down under the next
 * request. Once restarted, gravity reads answer 400 "Database not available" for a moment: the
 * wait ends only when one answers 200, so that every caller can read or compare at once. A 503
 * (FTL, or a proxy in front of it, not ready yet) is waited out like a refused connection: it is
 * not an answer to go on with.
 */
final class FtlRestart {
  private static final Logger log = LoggerFactory.getLogger(FtlRestart.class);
  private static final Duration FIRST_PAUSE = Duration.ofMillis(200);
  private static final Duration LONGEST_PAUSE = Duration.ofSeconds(1);
  /**
   * Uptime comes in whole milliseconds: an uptime this much below the one the old process would
   * have now is a new process, anything closer could be rounding.
   */
  private static final long SLACK_MILLIS = 20;

  private final Session.Connection c;
  private final String sid;
  /** The old process's uptime in ms, read when {@link #readAt}; null when it could not be read. */
  private final Long uptimeBefore;
  private final Instant readAt;

  private FtlRestart(Session.Connection c, String sid, Long uptimeBefore, Instant readAt) {
    this.c = c;
    this.sid = sid;
    this.uptimeBefore = uptimeBefore;
    this.readAt = readAt;
  }

  /** Reads the running process's uptime, before an import; one that cannot be read leaves the wait to see FTL go down and back. */
  static FtlRestart before(Session.Connection c, String sid) {
    Long uptime;
    try {
      uptime = read(c, sid, c.target().timeout()).uptime();
    } catch (PiholeException e) {
      uptime = null; // the import itself will say what is wrong with the connection
    }
    if (uptime == null) {
      log.debug("Pi-hole '{}' did not say its uptime; its restart after the import is told by it going down and coming back", c.target().name());
    }
    return new FtlRestart(c, sid, uptime, c.clock().instant());
  }

  /** For a wait with no uptime read before (no import sent through this session): FTL must be seen down and back. */
  static FtlRestart unknown(Session.Connection c, String sid) {
    return new FtlRestart(c, sid, null, c.clock().instant());
  }

  /** The same restart, looked at through another session (a new login after the Pi-hole ended the first). */
  FtlRestart on(Session.Connection connection, String newSid) {
    return new FtlRestart(connection, newSid, uptimeBefore, readAt);
  }

  /** What {@code GET /api/info/ftl} answered: its status, and the uptime in it (null unless a 200 says one). */
  private record Reading(int status, Long uptime) {
  }

  /** {@code GET /api/info/ftl}, answered within {@code limit}. */
  private static Reading read(Session.Connection c, String sid, Duration limit) {
    HttpRequest request = c.transport().request(c.target(), c.base(), "/api/info/ftl", sid).timeout(limit).GET().build();
    HttpResponse<String> response = c.transport().sendForText(c.http(), request, c.target(), limit);
    if (response.statusCode() != 200) {
      return new Reading(response.statusCode(), null); // any session may read it (pihole-api.md); a proxy in front may still refuse the path
    }
    try {
      JsonNode uptime = c.json().readTree(response.body()).path("ftl").path("uptime");
      return new Reading(200, uptime.canConvertToLong() ? uptime.asLong() : null);
    } catch (IOException e) {
      return new Reading(200, null);
    }
  }

  /** What one look at the process found. */
  private enum Look {
    /** Refused or broken connection, or 503: going down, or not back (or not ready) yet. */
    DOWN,
    /** The process from before the import. */
    OLD,
    /** A process started after the import. */
    NEW,
    /** Answers, but without an uptime to tell old from new. */
    ANSWERS
  }

  /**
   * Waits until the Pi-hole runs a process started after the import and serves gravity reads,
   * within {@code limit}.
   *
   * @throws PiholeException saying what was last seen and what to check on the Pi-hole
   */
  void await(Duration limit) {
    Waiting waiting = new Waiting(limit);
    boolean seenDown = false;
    while (true) {
      Look look = look(waiting);
      seenDown |= look == Look.DOWN;
      // without an uptime, only having seen it down tells the restart: one never seen down did not restart (README)
      if (look == Look.NEW || look == Look.ANSWERS && seenDown) {
        break;
      }
      waiting.pause();
    }
    waiting.restart();
    while (!gravityReadable(waiting)) {
      waiting.pause();
    }
  }

  private Look look(Waiting waiting) {
    Instant asked = c.clock().instant();
    Duration probe = waiting.probe();
    Reading reading;
    try {
      reading = read(c, sid, probe);
    } catch (PiholeException e) {
      waiting.endIfCutShort(probe, e);
      if (!e.failure().transientFailure()) {
        throw waiting.failedLooking(e);
      }
      // said as it happened: a look that timed out is not a refused connection
      String seen = e.failure() == PiholeException.Failure.TIMEOUT ? "it did not answer in time" : "it refused or dropped the connection";
      waiting.saw(seen + " (" + e.getMessage() + ")", e.lastSeen().orElse(seen), PiholeException.Failure.UNREACHABLE);
      return Look.DOWN;
    }
    if (reading.status() == 401) {
      // it answers, so it is back; but the session is gone, and every later look would be refused too: the caller logs in again
      throw new PiholeException(PiholeException.Failure.WRONG_PASSWORD, ("Pi-hole '%s' answered again after the import, but no longer knew the"
          + " session (GET /api/info/ftl answered HTTP 401)").formatted(c.target().name()));
    }
    if (reading.status() == 503) {
      waiting.saw("it answered HTTP 503 Service Unavailable (not ready yet)", "it answered HTTP 503", PiholeException.Failure.SERVER_UNAVAILABLE);
      return Look.DOWN;
    }
    Long uptime = reading.uptime();
    if (uptime == null || uptimeBefore == null) {
      // two looks are up to a second apart: a restart quicker than that goes unseen, so this is "not confirmed", never "did not restart"
      waiting.unconfirmed(("it answered every look (up to %s apart), never refusing the connection or answering 503, and %s; a restart quicker"
          + " than the time between two looks goes unseen").formatted(Errors.seconds(LONGEST_PAUSE), uptime == null
          ? "does not say its uptime (GET /api/info/ftl answered HTTP " + reading.status() + ")" : "its uptime before the import could not be read"));
      return Look.ANSWERS;
    }
    // the old process would now be up at least this long: it was answering when readAt was taken
    long oldWouldBe = uptimeBefore + Duration.between(readAt, asked).toMillis();
    if (uptime < oldWouldBe - SLACK_MILLIS) {
      return Look.NEW;
    }
    waiting.saw("it still ran the process from before the import (up %s): its changes take effect only once FTL restarts"
        .formatted(Errors.seconds(Duration.ofMillis(uptime))), "it still ran the process from before the import", PiholeException.Failure.TIMEOUT);
    return Look.OLD;
  }

  /** {@code GET /api/groups}, a gravity read: 400 "Database not available" for a moment after the restart. */
  private boolean gravityReadable(Waiting waiting) {
    Duration probe = waiting.probe();
    HttpRequest request = c.transport().request(c.target(), c.base(), "/api/groups", sid).timeout(probe).GET().build();
    HttpResponse<String> response;
    try {
      response = c.transport().sendForText(c.http(), request, c.target(), probe);
    } catch (PiholeException e) {
      waiting.endIfCutShort(probe, e);
      if (!e.failure().transientFailure()) {
        throw waiting.failedLooking(e);
      }
      waiting.saw("it restarted, then refused or dropped the connection (" + e.getMessage() + ")",
          "it restarted, then " + e.lastSeen().orElse("it refused or dropped the connection").replaceFirst("^it ", ""), PiholeException.Failure.UNREACHABLE);
      return false;
    }
    if (response.statusCode() == 503) {
      waiting.saw("it restarted, but answered its gravity read with HTTP 503 Service Unavailable (not ready yet)",
          "it restarted, then answered HTTP 503", PiholeException.Failure.SERVER_UNAVAILABLE);
      return false;
    }
    if (response.statusCode() == 400) {
      String message = parse(response.body()).path("error").path("message").asText("HTTP 400");
      waiting.saw("it restarted, but its gravity database was not available yet (\"" + message + "\"); FTL's log on it says why (pihole -t)",
          "it restarted, then answered HTTP 400 (\"" + message + "\")", PiholeException.Failure.SERVER_UNAVAILABLE);
      return false;
    }
    if (response.statusCode() != 200) {
      log.debug("Pi-hole '{}' answered its gravity read after the restart with HTTP {}; going on", c.target().name(), response.statusCode());
    }
    return true;
  }

  private JsonNode parse(String body) {
    try {
      return c.json().readTree(body == null || body.isBlank() ? "{}" : body);
    } catch (IOException e) {
      return c.json().createObjectNode();
    }
  }

  /**
   * The time left and the pauses between looks. Bounded twice: by the clock, and by the pauses
   * themselves (a clock that stands still must not make the wait endless).
   */
  private final class Waiting {
    private final Duration limit;
    private final Instant deadline;
    private Duration paused = Duration.ZERO;
    private Duration next = FIRST_PAUSE;
    private String lastSeen = "it had not answered yet";
    /** {@link #lastSeen} in a few words: what a restore's list of steps not applied says. */
    private String lastSeenShort = "it had not answered yet";
    /** It answered throughout, but nothing told whether it restarted. */
    private boolean unconfirmed;
    private PiholeException.Failure failure = PiholeException.Failure.UNREACHABLE;

    Waiting(Duration limit) {
      this.limit = limit;
      this.deadline = c.clock().instant().plus(limit);
    }

    void saw(String what, String inShort, PiholeException.Failure kind) {
      lastSeen = what;
      lastSeenShort = inShort;
      failure = kind;
      unconfirmed = false;
    }

    /** It answered, but without an uptime nothing told whether it had restarted: still a timeout if the wait ends so. */
    void unconfirmed(String what) {
      saw(what, "it answered, but its restart could not be confirmed", PiholeException.Failure.TIMEOUT);
      unconfirmed = true;
    }

    /** A new stage: looked at again soon. */
    void restart() {
      next = FIRST_PAUSE;
    }

    void pause() {
      if (c.clock().instant().plus(next).isAfter(deadline) || paused.plus(next).compareTo(limit) > 0) {
        throw notBack(null);
      }
      try {
        c.pause().pause(next);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PiholeException(PiholeException.Failure.TIMEOUT, "interrupted while waiting for Pi-hole '" + c.target().name() + "' to restart");
      }
      paused = paused.plus(next);
      next = next.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : next.multipliedBy(2);
    }

    /**
     * How long the next look may take: the instance's timeout, but not past the end of the wait,
     * so that a Pi-hole that takes the connection and never answers holds the wait no longer than
     * its limit.
     */
    Duration probe() {
      Duration left = Duration.between(c.clock().instant(), deadline);
      if (left.isNegative() || left.isZero()) {
        throw notBack(null);
      }
      return left.compareTo(c.target().timeout()) < 0 ? left : c.target().timeout();
    }

    /** A look cut short by the end of the wait that timed out ends the wait, saying so (not the instance's timeout). */
    void endIfCutShort(Duration probe, PiholeException e) {
      if (e.failure() == PiholeException.Failure.TIMEOUT && probe.compareTo(c.target().timeout()) < 0 && !Thread.currentThread().isInterrupted()) {
        saw("it took the connection but did not answer within the %s left of the wait".formatted(Errors.seconds(probe)),
            "it took the connection but did not answer within " + Errors.seconds(probe), PiholeException.Failure.TIMEOUT);
        throw notBack(e);
      }
    }

    /** The wait ended with what was last seen: not back, or (answering throughout without an uptime) a restart not confirmed. */
    PiholeException notBack(Exception cause) {
      String name = c.target().name();
      String message = unconfirmed
          ? ("The restart of Pi-hole '%s' after the import could not be confirmed within %s: %s. Check on the Pi-hole whether FTL restarted after the"
            + " import (pihole -t, or the container's log) and whether its changes show in its web interface; GET /api/info/ftl answering here"
            + " (not hidden by a proxy in front of it) lets Checkpoint tell a restart for sure").formatted(name, Errors.seconds(limit), lastSeen)
          : notBackMessage(lastSeen);
      return new PiholeException(failure, message, lastSeenShort, cause);
    }

    /** A look failed in a way waiting does not mend (TLS, say): that failure, as the end of the wait. */
    PiholeException failedLooking(PiholeException e) {
      return new PiholeException(failure, notBackMessage(e.getMessage()), e);
    }

    private String notBackMessage(String seen) {
      return ("Pi-hole '%s' was not back from its restart %s after the import: %s. Check that pihole-FTL runs on it"
          + " (pihole status, or the container's log) and answers in its web interface").formatted(c.target().name(), Errors.seconds(limit), seen);
    }
  }
}
