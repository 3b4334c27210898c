package io.piholecheckpoint.web;

import io.piholecheckpoint.core.manual.BackupQueue;
import io.piholecheckpoint.core.backup.BackupCatalog;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.download.ConnectionTester;
import io.piholecheckpoint.core.instance.InstanceService;
import io.piholecheckpoint.core.integrity.IntegrityService;
import io.piholecheckpoint.core.restore.RestoreService;
import io.piholecheckpoint.core.retention.RetentionService;
import java.time.Clock;

/** The core services the JSON API speaks for. */
public record ApiServices(InstanceService instances, BackupService backups, BackupCatalog catalog, BackupQueue queue, IntegrityService integrity,
                          RetentionService retention, ConnectionTester tester, RestoreService restores, Clock clock) {
}
