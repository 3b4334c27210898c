package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.backup.TlsTrust;
import io.piholecheckpoint.core.instance.ConnectionStatus;
import io.piholecheckpoint.core.instance.Origin;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.Schedule;
import io.piholecheckpoint.core.retention.RetentionPolicy;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;

/**
 * A row of {@code instance}, flat as stored.
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
    TlsTrust.Mode tlsMode,
    String tlsCaFile,
    String tlsCaPem,
    String tlsFingerprint,
    Integer timeoutSeconds,
    Schedule.Kind scheduleKind,
    String scheduleTime,
    DayOfWeek scheduleDay,
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
    return new PiholeInstance(id, name, slug, origin, envPrefix, url, new TlsTrust(tlsMode, tlsCaFile, tlsCaPem, tlsFingerprint), timeoutSeconds,
        new Schedule(scheduleKind, LocalTime.parse(scheduleTime), scheduleDay, scheduleCron),
        new RetentionPolicy(maxBackups, maxAgeDays, keepDaily, keepWeekly, keepMonthly), skipUnchanged, active, paused, removed,
        new PiholeInstance.Status(status, statusMessage, statusAt, piholeVersion, seatsInUse));
  }
}
