package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.units.UrlText;
import io.piholecheckpoint.core.archive.ArchiveFiles;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.instance.ConnectionStatus;
import io.piholecheckpoint.core.instance.Origin;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.core.settings.InstanceRules;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A row of {@code instance}, flat as stored. The schedule and TLS columns are read as text, so
 * that one row edited by hand (or written by an older version) yields an instance marked with
 * its problem instead of failing every query that lists instances.
 * Public only so that MyBatis may call the constructor: for a package-private one it first fails
 * an access check, and pays for an exception with a stack trace on every row.
 */
public record InstanceRow(
    long id,
    String name,
    String slug,
    Origin origin,
    String envPrefix,
    String url,
    String tlsMode,
    String tlsCaFile,
    String tlsCaPem,
    String tlsFingerprint,
    Integer timeoutSeconds,
    String scheduleKind,
    String scheduleTime,
    String scheduleDay,
    String scheduleCron,
    int maxBackups,
    int maxAgeDays,
    int keepDaily,
    int keepWeekly,
    int keepMonthly,
    boolean skipUnchanged,
    boolean active,
    boolean paused,
    boolean removed,
    ConnectionStatus status,
    String statusMessage,
    Instant statusAt,
    String piholeVersion,
    Integer seatsInUse) {

  PiholeInstance toInstance() {
    List<String> problems = new ArrayList<>();
    boolean folder = ArchiveFiles.isFolder(slug);
    // saving the instance or changing its variables keeps its folder: only the column itself can be put right
    String fix = !folder ? " — put its folder (lowercase letters, digits and dashes, as Checkpoint made it) back into the instance table's slug column"
        : origin == Origin.ENV ? " — check PIHOLE_" + envPrefix + "_* and restart" : " — edit the instance and save it";
    // no address with a query or fragment passes the rules (the instance is marked, never contacted), and one kept by an older
    // version, which stored PIHOLE_<P>_URL as given, may hold a password there (?password=…): never shown, logged or sent on
    String shownUrl = url != null && (url.indexOf('?') >= 0 || url.indexOf('#') >= 0) ? UrlText.masked(url) : url;
    if (!folder) {
      problems.add("folder (slug '%s')".formatted(slug));
    }
    return new PiholeInstance(id, name, slug, origin, envPrefix, shownUrl, tls(problems), timeoutSeconds, schedule(problems), retention(problems),
        skipUnchanged, active, paused, removed, new PiholeInstance.Status(status, statusMessage, statusAt, piholeVersion, seatsInUse),
        problems.isEmpty() ? null : "its stored " + String.join(", ", problems) + " cannot be read" + fix);
  }

  private Schedule schedule(List<String> problems) {
    try {
      return new Schedule(Schedule.Kind.valueOf(scheduleKind), LocalTime.parse(scheduleTime), DayOfWeek.valueOf(scheduleDay), scheduleCron);
    } catch (RuntimeException e) {
      problems.add("schedule (kind %s, time %s, day %s, cron %s)".formatted(quoted(scheduleKind), quoted(scheduleTime), quoted(scheduleDay),
          quoted(scheduleCron)));
      // not the default in its place: the API and pages would describe a schedule that is not the stored one
      return Schedule.unreadable("the stored schedule cannot be read: " + String.join(", ", scheduleFaults(e)));
    }
  }

  /** A stored column as a message quotes it: an empty one (NULL) as "none", never as 'null'. */
  private static String quoted(String column) {
    return column == null ? "none" : "'" + column + "'";
  }

  /** Every column of the stored schedule that is wrong, said as what it should be. */
  private List<String> scheduleFaults(RuntimeException fallback) {
    List<String> faults = new ArrayList<>();
    if (scheduleKind == null || java.util.Arrays.stream(Schedule.Kind.values()).noneMatch(k -> k.name().equals(scheduleKind))) {
      faults.add("kind %s is none of HOURLY, DAILY, WEEKLY, CRON".formatted(quoted(scheduleKind)));
    }
    try {
      LocalTime.parse(scheduleTime);
    } catch (RuntimeException e) {
      faults.add("time %s is no time of day (HH:MM, 00:00 to 23:59)".formatted(quoted(scheduleTime)));
    }
    if (scheduleDay == null || java.util.Arrays.stream(DayOfWeek.values()).noneMatch(d -> d.name().equals(scheduleDay))) {
      faults.add("day %s is no day of the week (MONDAY to SUNDAY)".formatted(quoted(scheduleDay)));
    }
    if (faults.isEmpty()) { // the columns read, but not together (a CRON kind without an expression)
      faults.add(String.valueOf(fallback.getMessage()));
    }
    return faults;
  }

  private TlsTrust tls(List<String> problems) {
    try {
      return new TlsTrust(TlsTrust.Mode.valueOf(tlsMode), tlsCaFile, tlsCaPem, tlsFingerprint);
    } catch (RuntimeException e) {
      problems.add("TLS mode '%s'".formatted(tlsMode));
      return TlsTrust.SYSTEM;
    }
  }

  private RetentionPolicy retention(List<String> problems) {
    try {
      return new RetentionPolicy(maxBackups, maxAgeDays, keepDaily, keepWeekly, keepMonthly);
    } catch (IllegalArgumentException e) {
      problems.add("retention (negative)");
      // keeps everything: a row that cannot be read must never cause backups to be deleted
      return new RetentionPolicy(0, 0, 0, 0, 0);
    }
  }
}
