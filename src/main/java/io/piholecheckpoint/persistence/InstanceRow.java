package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.instance.ConnectionStatus;
import io.piholecheckpoint.core.instance.Origin;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.Schedule;
import io.piholecheckpoint.core.retention.RetentionPolicy;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;

/** A row of {@code instance}, flat as stored. */
record InstanceRow(
    long id,
    String name,
    String slug,
    Origin origin,
    String envPrefix,
    String url,
    boolean verifyTls,
    Schedule.Kind scheduleKind,
    String scheduleTime,
    DayOfWeek scheduleDay,
    String scheduleCron,
    int maxBackups,
    int maxAgeDays,
    boolean active,
    boolean removed,
    ConnectionStatus status,
    String statusMessage,
    Instant statusAt,
    String piholeVersion) {

  PiholeInstance toInstance() {
    return new PiholeInstance(id, name, slug, origin, envPrefix, url, verifyTls,
        new Schedule(scheduleKind, LocalTime.parse(scheduleTime), scheduleDay, scheduleCron),
        new RetentionPolicy(maxBackups, maxAgeDays), active, removed,
        new PiholeInstance.Status(status, statusMessage, statusAt, piholeVersion));
  }
}
