package io.piholecheckpoint.web.api;

import io.piholecheckpoint.core.health.HealthReport;
import java.time.Instant;
import java.util.List;

/** The JSON of {@code /health}, field for field what container health checks and monitors read. */
record HealthJson(String status, Instant checkedAt, Scheduler scheduler, Database database, LastBackup lastBackup, Storage storage,
                  List<Instance> instances, List<String> offsiteFailing, List<SyncGroup> syncGroups, Cluster cluster, Passphrase passphrase,
                  List<NotStarted> notStarted, String deployment) {

  /**
   * This answer with what is wrong with how the servlet container deployed the WAR (another context path than the root):
   * "ok" turns "degraded", as the pages do not work there. Null: nothing wrong.
   */
  HealthJson deployedWith(String problem) {
    return problem == null ? this : new HealthJson("ok".equals(status) ? "degraded" : status, checkedAt, scheduler, database, lastBackup,
        storage, instances, offsiteFailing, syncGroups, cluster, passphrase, notStarted, problem);
  }

  /** An instance whose last scheduled run failed before it wrote any record; until its next run starts. */
  record NotStarted(long instanceId, String message, String reason, Instant at) {
  }

  /**
   * Null unless BACKUP_ENCRYPTION_PASSPHRASE failed to open a destination's copy at this start, or (status {@code unchecked},
   * with {@code nextTry}) some destination could not be read to check it yet.
   */
  record Passphrase(String status, List<String> destinations, String message, Instant nextTry) {
  }

  /**
   * @param mode single (one node, SQLite) or cluster (nodes sharing Quartz's store in PostgreSQL)
   * @param clockSkewMillis this node's clock minus the database server's, as measured at its last check-in (null: single, or not yet)
   * @param checkInOverdue this node's own check-in is late: the other nodes may take it for dead (status degraded)
   * @param clockSkew what is wrong with this node's clock, when it is further from the database's than the cluster tolerates
   *     (status degraded); null when it is not
   */
  record Cluster(String mode, String node, long aliveNodes, List<Node> nodes, Long clockSkewMillis, boolean checkInOverdue, String clockSkew) {
  }

  record Node(String name, Instant lastCheckIn, boolean alive, int running) {
  }

  record Scheduler(String state, int jobs, Instant nextFireTime, String reason) {
  }

  /** @param writeError why the last write was refused (a full disk), while {@code writable} is false */
  record Database(boolean reachable, String schemaVersion, String error, boolean writable, String writeError) {
  }

  record LastBackup(Instant at, long ageSeconds, String instance, String status, String failure) {
  }

  record Storage(String backupDir, long freeBytes, boolean lowSpace, int missingFiles, int damagedFiles, int unsoundFileCount,
                 List<String> unsoundFiles, String filesProblem) {
  }

  record Instance(long id, String name, String status, String message, Instant lastSuccessAt, boolean stale, Long staleAfterSeconds) {
  }

  record SyncGroup(String id, String primary, String disabled, List<Replica> replicas, boolean addedHere) {
  }

  record Replica(String name, String state, Instant lastRunAt, Instant lastSuccessAt, Instant failingSince, boolean stale, long staleAfterSeconds) {
  }

  static HealthJson of(HealthReport r) {
    var s = r.scheduler();
    var d = r.database();
    var b = r.lastBackup();
    var st = r.storage();
    return new HealthJson(r.status(), r.checkedAt(),
        s == null ? null : new Scheduler(s.state(), s.jobs(), s.nextFireTime(), s.reason()),
        d == null ? null : new Database(d.reachable(), d.schemaVersion(), d.error(), d.writable(), d.writeRefused()),
        b == null ? null : new LastBackup(b.at(), b.ageSeconds(), b.instance(), b.status(), b.failure()),
        st == null ? null : new Storage(st.backupDir(), st.freeBytes(), st.lowSpace(), st.missingFiles(), st.damagedFiles(), st.unsoundFileCount(),
            st.unsoundFiles(), st.filesProblem()),
        r.instances() == null ? null : r.instances().stream()
            .map(i -> new Instance(i.id(), i.name(), i.status(), i.message(), i.lastSuccessAt(), i.stale(), i.staleAfterSeconds())).toList(),
        r.offsiteFailing(),
        r.syncGroups() == null ? null : r.syncGroups().stream().map(g -> new SyncGroup(g.id(), g.primary(), g.disabled(), g.replicas().stream()
            .map(x -> new Replica(x.name(), x.state(), x.lastRunAt(), x.lastSuccessAt(), x.failingSince(), x.stale(), x.staleAfterSeconds())).toList(),
            g.addedHere()))
            .toList(),
        r.cluster() == null ? null : new Cluster(r.cluster().mode(), r.cluster().node(), r.cluster().aliveNodes(), r.cluster().nodes().stream()
            .map(n -> new Node(n.name(), n.lastCheckIn(), n.alive(), n.running())).toList(),
            r.cluster().clockSkew() == null ? null : r.cluster().clockSkew().toMillis(), r.cluster().checkInOverdue(), r.cluster().clockSkewProblem()),
        r.passphrase() == null ? null : new Passphrase(r.passphrase().status(), r.passphrase().destinations(), r.passphrase().message(),
            r.passphrase().nextTry()),
        r.notStarted().stream().map(n -> new NotStarted(n.instanceId(), n.message(), n.reason(), n.at())).toList(), null);
  }
}
