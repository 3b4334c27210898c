package io.piholecheckpoint.web;

import io.piholecheckpoint.core.backup.Backup;
import io.piholecheckpoint.core.backup.BackupTicket;
import io.piholecheckpoint.core.archive.ContentSummary;
import io.piholecheckpoint.core.gateway.PiholeVersions;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.retention.RetentionService;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;

/** The JSON shapes of {@code /api/v1}. Field names are part of the API: change them with care. */
final class ApiModels {
  private ApiModels() {
  }

  record InstanceJson(long id, String name, String origin, String envPrefix, String url, String tls, Integer timeoutSeconds,
                      String status, String statusMessage, Instant statusAt, String piholeVersion, Integer seatsInUse,
                      String schedule, String cron, int maxBackups, int maxAgeDays, int keepDaily, int keepWeekly, int keepMonthly,
                      boolean skipUnchanged, boolean active, boolean removed, Instant lastSuccessAt, List<OffsetDateTime> nextRuns) {

    /**
     * {@code active} is the switch as the user set it: an environment instance switched off here is
     * paused, not inactive in its variables, and must read back as off.
     *
     * @param nextRuns the schedule's next fire times, empty when it is not scheduled
     */
    static InstanceJson of(PiholeInstance i, Instant lastSuccessAt, List<OffsetDateTime> nextRuns) {
      var r = i.retention();
      return new InstanceJson(i.id(), i.name(), lower(i.origin()), i.envPrefix(), i.url(), lower(i.tls().mode()), i.timeoutSeconds(),
          i.state(), i.message(), i.status().at(), i.status().piholeVersion(), i.status().seatsInUse(),
          i.schedule().describe(), writtenCron(i.schedule()), r.maxBackups(), r.maxAgeDays(), r.keepDaily(), r.keepWeekly(),
          r.keepMonthly(), i.skipUnchanged(), i.active() && !i.paused(), i.removed(), lastSuccessAt, nextRuns);
    }
  }

  record BackupJson(long id, long instanceId, String status, String trigger, Instant createdAt, Instant startedAt,
                    Long size, String sha256, String contentHash, String fileName, String piholeVersion, PiholeVersions versions,
                    ContentSummary summary, String contents, String changes, Boolean unchangedSincePrevious, Instant stillCurrentAt, boolean pinned, boolean suspicious,
                    boolean fileMissing, String verifyError, String errorCode, String error, String downloadUrl) {

    /** @param unchanged whether it equals the previous backup, or null when that is not known here */
    static BackupJson of(Backup b, Boolean unchanged) {
      var a = b.archive();
      return new BackupJson(b.id(), b.instanceId(), lower(b.status()), lower(b.trigger()), b.finishedAt(), b.startedAt(),
          a == null ? null : a.sizeBytes(), a == null ? null : a.sha256(), a == null ? null : a.contentHash(), b.fileName(),
          a == null ? null : a.versions().ftl(), a == null ? null : a.versions(), a == null ? null : a.summary(),
          a == null ? null : a.summary().describe(), a == null ? null : a.changes(), b.successful() ? unchanged : null, b.stillCurrentAt(), b.pinned(), b.suspicious(), b.fileMissing(), b.verifyError(),
          b.errorCode(), b.errorMessage(), b.successful() && !b.fileMissing() ? "/backups/" + b.id() + "/download" : null);
    }
  }

  record DeletionJson(long backupId, String status, Instant createdAt, String fileName, String reason) {
    static DeletionJson of(RetentionService.Deletion d) {
      Backup b = d.backup();
      return new DeletionJson(b.id(), lower(b.status()), b.finishedAt(), b.fileName(), d.reason());
    }
  }

  record JobJson(String id, long instanceId, String state, long bytes, Long backupId, String errorCode, String error,
                 Instant queuedAt, Instant finishedAt, String url) {
    static JobJson of(BackupTicket t) {
      return new JobJson(t.id(), t.instanceId(), lower(t.state()), t.bytes(), t.backupId(), t.errorCode(), t.error(), t.queuedAt(),
          t.finishedAt(), "/api/v1/jobs/" + t.id());
    }
  }

  /** What the user wrote for a cron schedule (so a GET can be PUT back unchanged), the Quartz form of the others. */
  private static String writtenCron(io.piholecheckpoint.core.schedule.Schedule schedule) {
    return schedule.kind() == io.piholecheckpoint.core.schedule.Schedule.Kind.CRON ? schedule.cron().trim() : schedule.cronExpression();
  }

  static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
