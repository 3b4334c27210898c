package io.piholecheckpoint.web;

import io.piholecheckpoint.core.backup.Backup;
import io.piholecheckpoint.core.instance.PiholeInstance;
import java.time.Instant;
import java.util.Locale;

/** The JSON shapes of {@code /api/v1}. Field names are part of the API: change them with care. */
final class ApiModels {
  private ApiModels() {
  }

  record InstanceJson(long id, String name, String origin, String envPrefix, String url, boolean verifyTls,
                      String status, String statusMessage, Instant statusAt, String piholeVersion,
                      String schedule, String cron, int maxBackups, int maxAgeDays, boolean active, boolean removed,
                      Instant lastSuccessAt) {

    static InstanceJson of(PiholeInstance i, Instant lastSuccessAt) {
      return new InstanceJson(i.id(), i.name(), lower(i.origin()), i.envPrefix(), i.url(), i.verifyTls(),
          i.state(), i.status().message(), i.status().at(), i.status().piholeVersion(),
          i.schedule().describe(), i.schedule().cronExpression(), i.retention().maxBackups(), i.retention().maxAgeDays(),
          i.active(), i.removed(), lastSuccessAt);
    }
  }

  record BackupJson(long id, long instanceId, String status, String trigger, Instant createdAt, Instant startedAt,
                    long size, String sha256, String fileName, String piholeVersion, String errorCode, String error,
                    String downloadUrl) {

    static BackupJson of(Backup b) {
      return new BackupJson(b.id(), b.instanceId(), lower(b.status()), lower(b.trigger()), b.finishedAt(), b.startedAt(),
          b.sizeBytes(), b.sha256(), b.fileName(), b.piholeVersion(), b.errorCode(), b.errorMessage(),
          b.successful() ? "/backups/" + b.id() + "/download" : null);
    }
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
