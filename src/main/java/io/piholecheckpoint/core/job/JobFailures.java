package io.piholecheckpoint.core.job;

import java.util.Optional;
import org.slf4j.Logger;

/**
 * What a job's catch-all logs. A database busy (another process holding checkpoint.db, every connection in use) is expected and
 * documented, answered 503 database_busy: one WARN line saying what was cut short, when it runs again and where to look, not an
 * ERROR with a stack trace of MyBatis' misleading words; anything else is ours to explain, with its trace (outsider 49 F10).
 */
public final class JobFailures {
  private JobFailures() {
  }

  /**
   * @param what what failed, naming its instance, group or destination: "Daily maintenance", "Sync group home"
   * @param again when it runs again, or what to do: "it runs again tomorrow"
   */
  public static void log(Logger log, Exception e, String what, String again) {
    Optional<DatabaseBusyException> busy = DatabaseBusyException.in(e);
    if (busy.isPresent()) {
      log.warn("{} was cut short: {}; {} — {}", what, busy.get().getMessage(), again, busy.get().whereToLook());
      return;
    }
    log.error("{} failed; {}", what, again, e);
  }
}
