package io.piholecheckpoint.web.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.piholecheckpoint.core.archive.ContentSummary;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.destination.ManagedDestination;
import io.piholecheckpoint.core.download.ConnectionTester;
import io.piholecheckpoint.core.gateway.PiholeVersions;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.integrity.IntegrityService;
import io.piholecheckpoint.core.job.Job;
import io.piholecheckpoint.core.manual.BackupTicket;
import io.piholecheckpoint.core.offsite.catalog.OffsiteCatalog;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.core.probe.TestOutcome;
import io.piholecheckpoint.core.restore.record.Restore;
import io.piholecheckpoint.core.retention.RetentionService;
import io.piholecheckpoint.core.settings.InstanceForm;
import io.piholecheckpoint.web.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;

/**
 * The JSON shapes of {@code /api/v1}. Field names and their order are part of the API: the API
 * answers these, never a core record, so a change in the core does not move the public JSON.
 */
final class ApiModels {
  private ApiModels() {
  }

  record InstanceJson(long id, String name, String origin, String envPrefix, String url, String tls, Integer timeoutSeconds,
                      String status, String statusMessage, Instant statusAt, String piholeVersion, Integer seatsInUse,
                      String schedule, String cron, int maxBackups, int maxAgeDays, int keepDaily, int keepWeekly, int keepMonthly,
                      boolean skipUnchanged, boolean active, boolean removed, Instant lastSuccessAt, List<OffsetDateTime> nextRuns,
                      String tlsMode, String caPem, String fingerprint, String scheduleKind, String time, String day) {

    /**
     * {@code active} is the switch as the user set it: an environment instance switched off here is
     * paused, not inactive in its variables, and must read back as off.
     *
     * The fields a create or update takes are answered by the same names and values ({@code tlsMode} to
     * {@code day}, secrets never), so that a client can GET, change one field and PUT the rest back unchanged. A
     * field the mode does not use is null, as a PUT would refuse it with a value.
     *
     * @param nextRuns the schedule's next fire times, empty when it is not scheduled
     */
    static InstanceJson of(PiholeInstance i, Instant lastSuccessAt, List<OffsetDateTime> nextRuns) {
      var r = i.retention();
      InstanceForm f = InstanceForm.of(i);
      return new InstanceJson(i.id(), i.name(), lower(i.origin()), i.envPrefix(), i.url(), lower(i.tls().mode()), i.timeoutSeconds(),
          i.state(), i.message(), i.status().at(), i.status().piholeVersion(), i.status().seatsInUse(),
          i.schedule().describe(), writtenCron(i.schedule()), r.maxBackups(), r.maxAgeDays(), r.keepDaily(), r.keepWeekly(),
          r.keepMonthly(), i.skipUnchanged(), i.active() && !i.paused(), i.removed(), lastSuccessAt, nextRuns,
          f.tlsMode(), f.tlsMode().equals("ca") ? f.caPem() : null, f.tlsMode().equals("fingerprint") ? f.fingerprint() : null,
          f.scheduleKind(), f.scheduleKind().equals("cron") ? null : f.time(), f.scheduleKind().equals("weekly") ? f.day() : null);
    }
  }

  record BackupJson(long id, long instanceId, String status, String trigger, Instant createdAt, Instant startedAt,
                    Long size, String sha256, String contentHash, String fileName, String piholeVersion, VersionsJson versions,
                    SummaryJson summary, String contents, String changes, Boolean unchangedSincePrevious, Instant stillCurrentAt, boolean pinned, boolean suspicious,
                    boolean accepted, boolean fileMissing, String remoteOnly, String verifyError, String errorCode, String error, String downloadUrl,
                    List<CopyJson> offsite, String node) {

    /**
     * With its off-site copies; a list reads those of its page in one query. A file not on this
     * disk but kept at a destination is not missing: {@code remoteOnly} names where it is, and it
     * downloads (fetched back) like any other.
     */
    BackupJson withOffsite(List<Copy> copies, OffsiteCatalog offsite) {
      String keptAt = fileMissing ? offsite.keptAt(copies).orElse(null) : null;
      return new BackupJson(id, instanceId, status, trigger, createdAt, startedAt, size, sha256, contentHash, fileName, piholeVersion, versions,
          summary, contents, changes, unchangedSincePrevious, stillCurrentAt, pinned, suspicious, accepted, fileMissing && keptAt == null, keptAt, verifyError,
          errorCode, error, keptAt == null ? downloadUrl : "/api/v1/backups/" + id + "/download", CopyJson.of(copies, offsite.held(copies)), node);
    }

    /** @param unchanged whether it equals the previous backup, or null when that is not known here */
    static BackupJson of(Backup b, Boolean unchanged) {
      var a = b.archive();
      return new BackupJson(b.id(), b.instanceId(), lower(b.status()), lower(b.trigger()), b.finishedAt(), b.startedAt(),
          a == null ? null : a.sizeBytes(), a == null ? null : a.sha256(), a == null ? null : a.contentHash(), b.fileName(),
          a == null ? null : a.versions().ftl(), a == null ? null : VersionsJson.of(a.versions()), a == null ? null : SummaryJson.of(a.summary()),
          a == null ? null : a.summary().describe(), a == null ? null : a.changes(), b.successful() ? unchanged : null, b.stillCurrentAt(), b.pinned(), b.suspicious(), b.accepted(), b.fileMissing(), null, b.verifyError(),
          b.errorCode(), b.errorMessage(), b.successful() && !b.fileMissing() ? "/api/v1/backups/" + b.id() + "/download" : null, null, b.node());
    }
  }

  /**
   * One backup's copy at one destination: pending, copied (not yet read back), verified, failed with its last error, or
   * unreachable (verified at a destination no longer in use).
   *
   * @param damagedAt when a copy once verified was found changed or gone at the destination (it lost its verifiedAt then); else null
   * @param held why it waits without being tried, or cannot be reached (its destination is disabled or no longer configured), which is
   *     no failure; else null
   */
  record CopyJson(String destination, String state, String remoteKey, int attempts, Instant copiedAt, Instant verifiedAt, Instant nextAttemptAt,
                  String error, Instant damagedAt, String held) {
    /** @param held {@link OffsiteCatalog#held} of these copies */
    static List<CopyJson> of(List<Copy> copies, java.util.Map<Long, String> held) {
      return copies.stream().map(c -> new CopyJson(c.destination(), OffsiteCatalog.shownState(c, held), c.remoteKey(), c.attempts(), c.copiedAt(), c.verifiedAt(),
          c.nextAttemptAt(), c.lastError(), c.damagedAt(), held.get(c.id()))).toList();
    }
  }

  /** {@code GET /api/v1/offsite}: each destination's queue. */
  /**
   * @param awaitingReadBack copies adopted from the destination and not read back yet: not pending, they are there already
   * @param source {@code environment} (read-only here) or {@code settings} (added here: PUT and DELETE change it)
   * @param settings of one added here, its settings by the API's field names, secrets left out; else null
   * @param secretsSet of one added here, which secrets are stored (never their values); else null
   */
  record OffsiteJson(String name, String source, String where, boolean encrypted, String status, long pending, Long oldestPendingAgeSeconds,
                     long awaitingReadBack, long failed, Instant lastSuccessAt, Instant failingSince, String error, java.util.Map<String, Object> settings, List<String> secretsSet) {
    static OffsiteJson of(OffsiteCatalog.DestinationStatus d, ManagedDestination managed) {
      return new OffsiteJson(d.name(), managed == null ? "environment" : "settings", d.where(), d.encrypted(), d.status(), d.pending(),
          d.oldestPendingAge() == null ? null : d.oldestPendingAge().toSeconds(), d.awaitingReadBack(), d.failed(), d.lastSuccessAt(), d.failingSince(), d.lastError(),
          managed == null ? null : DestinationRequest.fields(managed.plainSettings()),
          managed == null ? null : managed.secretsSet().stream().map(DestinationRequest::field).toList());
    }
  }

  /** {@code POST /api/v1/offsite/{name}/test}: what the probe met; {@code step} and {@code problem} only when it failed. */
  record TestJson(String destination, boolean ok, Instant at, long millis, String step, String problem, String message) {
    static TestJson of(TestOutcome t) {
      return new TestJson(t.destination(), t.ok(), t.at(), t.took().toMillis(), t.step(), t.problem() == null ? null : lower(t.problem()),
          t.message());
    }
  }

  record DeletionJson(long backupId, String status, Instant createdAt, String fileName, String reason) {
    static DeletionJson of(RetentionService.Deletion d) {
      RetentionService.Doomed b = d.backup();
      return new DeletionJson(b.id(), lower(b.successful() ? Backup.Status.SUCCESS : Backup.Status.FAILED), b.finishedAt(), b.fileName(),
          d.reason());
    }
  }

  record JobJson(String id, long instanceId, String state, long bytes, Long expectedBytes, Long backupId, String errorCode, String error,
                 Instant queuedAt, Instant finishedAt, String url) {
    static JobJson of(BackupTicket t) {
      Job j = t.job();
      return new JobJson(j.id(), t.instanceId(), lower(j.state()), j.bytes(), j.expectedBytes(), t.backupId(), j.errorCode(), j.error(), j.queuedAt(),
          j.finishedAt(), "/api/v1/jobs/" + j.id());
    }
  }

  /** The versions of a Pi-hole's parts, as an archive or a login read them. */
  record VersionsJson(String core, String ftl, String web) {
    static VersionsJson of(PiholeVersions v) {
      return v == null ? null : new VersionsJson(v.core(), v.ftl(), v.web());
    }
  }

  /**
   * What an archive holds, counted.
   *
   * @param otherDomains domains of a type this build does not know; {@code domains} is every domain, these included
   */
  record SummaryJson(int groups, int adlists, int allowExact, int allowRegex, int denyExact, int denyRegex, int otherDomains, int domains,
                     int clients, int dnsRecords, int cnames, int changedSettings) {
    static SummaryJson of(ContentSummary c) {
      return c == null ? null : new SummaryJson(c.groups(), c.adlists(), c.allowExact(), c.allowRegex(), c.denyExact(), c.denyRegex(),
          c.otherDomains(), c.domains(), c.clients(), c.dnsRecords(), c.cnames(), c.changedSettings());
    }
  }

  /** One restore; {@code mode} by its id ({@code lists-and-dns}), as requests spell it. */
  record RestoreJson(long id, long backupId, long targetId, String mode, String state, Long snapshotId, String message,
                     List<String> refusedSettings, List<String> differences, Instant startedAt, Instant finishedAt) {
    static RestoreJson of(Restore r) {
      return new RestoreJson(r.id(), r.backupId(), r.targetId(), r.mode().id(), lower(r.state()), r.snapshotId(), r.message(),
          r.refusedSettings(), r.differences(), r.startedAt(), r.finishedAt());
    }

    static List<RestoreJson> all(List<Restore> restores) {
      return restores.stream().map(RestoreJson::of).toList();
    }
  }

  /**
   * "Test connection": {@code check} is what the login showed, null when it failed; a failed test also carries the API's
   * {@code error} object, as every refused request does, and is answered with an error status (InstancesApiServlet).
   */
  record ConnectionTestJson(boolean ok, String code, String message, CheckJson check, @JsonInclude(JsonInclude.Include.NON_NULL) Json.ApiError error) {
    static ConnectionTestJson of(ConnectionTester.ConnectionTest t) {
      var c = t.check();
      return new ConnectionTestJson(t.ok(), t.code(), t.message(),
          c == null ? null : new CheckJson(VersionsJson.of(c.versions()), c.seatsInUse(), c.authentication(), c.tls() == null ? null : lower(c.tls())),
          t.ok() ? null : new Json.ApiError(t.code(), t.message()));
    }
  }

  record CheckJson(VersionsJson versions, Integer seatsInUse, String authentication, String tls) {
  }

  /** A backup's file checked again against its record. */
  record VerificationJson(long backupId, boolean ok, String problem) {
    static VerificationJson of(IntegrityService.Verification v) {
      return new VerificationJson(v.backupId(), v.ok(), v.problem());
    }
  }

  /** What a Pi-hole's certificate says, to pin it. */
  record CertificateJson(String sha256, String subject, String issuer, Instant notAfter, boolean selfSigned) {
  }

  /**
   * What the user wrote for a cron schedule (so a GET can be PUT back unchanged), crontab's form of the others (README calls it
   * the schedule's cron expression: the form users write, not Quartz's translation); null for one that could not be read.
   */
  private static String writtenCron(io.piholecheckpoint.core.schedule.Schedule schedule) {
    return schedule.unreadable() != null ? null : schedule.crontab();
  }

  static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
