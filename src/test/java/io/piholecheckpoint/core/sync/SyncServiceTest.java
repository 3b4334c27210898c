package io.piholecheckpoint.core.sync;

import io.piholecheckpoint.testing.BackupGraph;
import static io.piholecheckpoint.testing.TestInstances.aDefinition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.contents.ContentDiff;
import io.piholecheckpoint.core.contents.ListCategory;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.DownloadPolicy;
import io.piholecheckpoint.core.gateway.PiholeSession;
import io.piholecheckpoint.core.gateway.PiholeTarget;
import io.piholecheckpoint.core.instance.ConnectionStatus;
import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.job.Jobs;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.restore.parts.RestoreMode;
import io.piholecheckpoint.core.restore.record.Restore;
import io.piholecheckpoint.core.retention.RetentionService;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import io.piholecheckpoint.core.secrets.Credentials;
import io.piholecheckpoint.core.sync.groups.SyncGroup;
import io.piholecheckpoint.core.sync.groups.SyncGroups;
import io.piholecheckpoint.core.sync.runs.SyncRun;
import io.piholecheckpoint.pihole.PiholeClient;
import io.piholecheckpoint.storage.LocalArchiveStore;
import io.piholecheckpoint.teleporter.TeleporterContents;
import io.piholecheckpoint.teleporter.TeleporterInspector;
import io.piholecheckpoint.testing.CapturedOutput;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.InMemoryBackupRepository;
import io.piholecheckpoint.testing.InMemoryInstanceRepository;
import io.piholecheckpoint.testing.InMemoryJobRepository;
import io.piholecheckpoint.testing.InMemorySyncRuns;
import io.piholecheckpoint.testing.InMemoryRestoreRepository;
import io.piholecheckpoint.testing.MemoryTempDir;
import io.piholecheckpoint.testing.Ports;
import io.piholecheckpoint.testing.RecordingPause;
import io.piholecheckpoint.testing.TestArchives;
import io.piholecheckpoint.testing.TestInstances;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sync groups of two and three fake Pi-holes, over real HTTP, that import and PATCH like FTL. */
class SyncServiceTest {
  private static final List<String> IDENTITY = List.of("interface", "port", "pwhash", "app_pwhash", "totp_secret", "listeningMode");

  @TempDir(factory = MemoryTempDir.class)
  Path dir;

  /** An instant as Instant.toString() writes it: "2026-12-05T17:51:29.839Z". */
  static final String ISO_INSTANT = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}";
  private final Clock clock = Clock.systemUTC();
  /** TIME_ZONE: not UTC, so that a record's time in it cannot pass for the instant's UTC text. */
  private final LocalTimeText berlin = new LocalTimeText(java.time.ZoneId.of("Europe/Berlin"));
  private final List<FakePihole> fakes = new ArrayList<>();
  private final Map<String, String> passwords = new HashMap<>();
  private final InMemoryRestoreRepository restores = new InMemoryRestoreRepository();
  private final InMemorySyncRuns runs = new InMemorySyncRuns();
  /** What the runner reads and writes the runs through: {@link #runs}, unless a test puts a failing database in between. */
  private io.piholecheckpoint.core.sync.runs.SyncRunRepository runnerRuns = runs;
  private final List<String> launched = new ArrayList<>();
  /** Where the jobs of {@link SyncTickets#start} are kept: in memory, unless a test puts a refusing database in between. */
  private io.piholecheckpoint.core.job.JobRepository jobRepository = new InMemoryJobRepository();
  private final TeleporterContents reader = new TeleporterContents(Clock.systemUTC());
  /** Each of the client's waits (after an import, between its looks for FTL's return) moves the fakes' restarts on a step. */
  private final PiholeClient client = new PiholeClient("test", Duration.ofSeconds(2), clock, d -> {
    for (FakePihole fake : List.copyOf(fakes)) {
      fake.restartStep();
    }
  });
  /** The store the archives are opened through: the backup directory itself, unless a test checks each one it opens. */
  private java.util.function.UnaryOperator<ArchiveStore> opening = local -> local;
  private InstanceService instances;
  private BackupGraph backups;
  private InMemoryBackupRepository backupRepository;
  private BackupCatalog catalog;
  /** The sync jobs and the interrupted runs of the service {@link #service} built last. */
  private SyncTickets tickets;
  private InterruptedSyncs interrupted;

  @AfterEach
  void stop() {
    fakes.forEach(FakePihole::close);
  }

  /** The primary: fixture b (a domain, an adlist and a local DNS record more than a) with an identity of its own. */
  private FakePihole primary() throws IOException {
    byte[] archive = Fixtures.archiveB();
    archive = TestArchives.withSetting(archive, "interface", "eth1");
    archive = TestArchives.withSetting(archive, "port", "0.0.0.0:80");
    archive = TestArchives.withSetting(archive, "app_pwhash", "$BALLOON-SHA256$primary-app");
    archive = TestArchives.withSetting(archive, "totp_secret", "PRIMARYTOTPSECRETPRIMARYTOTPSECR");
    archive = TestArchives.withSetting(archive, "replyWhenBusy", "DROP");
    return fake(FakePihole.builder().password("labpass").archive(archive));
  }

  /** A replica: fixture a, with its own interface, web port and app password. */
  private FakePihole replica() throws IOException {
    byte[] archive = Fixtures.archiveA();
    archive = TestArchives.withSetting(archive, "interface", "eth0");
    archive = TestArchives.withSetting(archive, "app_pwhash", "$BALLOON-SHA256$replica-app");
    return fake(FakePihole.builder().password("labpass").archive(archive));
  }

  private FakePihole fake(FakePihole.Builder builder) throws IOException {
    FakePihole fake = builder.restartOnCue().start();
    fakes.add(fake);
    return fake;
  }

  private SyncService service(List<SyncGroup> groups, Map<String, String> urls) {
    return service(groups, urls, Set.of());
  }

  /** @param switchedOff prefixes of the instances defined with ACTIVE=false */
  private SyncService service(List<SyncGroup> groups, Map<String, String> urls, Set<String> switchedOff) {
    backupRepository = new InMemoryBackupRepository();
    instances = TestInstances.service(new InMemoryInstanceRepository());
    instances.applyEnvironment(urls.entrySet().stream().map(e -> aDefinition(e.getKey(), e.getValue())).map(d -> switchedOff.contains(d.envPrefix())
        ? new InstanceDefinition(d.envPrefix(), d.name(), d.url(), d.tls(), d.timeoutSeconds(), d.schedule(), d.retention(), d.skipUnchanged(), false)
        : d).toList());
    ArchiveStore archives = opening.apply(new LocalArchiveStore(dir, new TeleporterInspector(), ArchiveStore.FreeSpace.OF_FILE_STORE));
    catalog = new BackupCatalog(instances, backupRepository, archives);
    Credentials credentials = new Credentials() {
      @Override
      public Optional<String> passwordFor(PiholeInstance instance) {
        return Optional.of(passwords.getOrDefault(instance.envPrefix(), "labpass"));
      }

      @Override
      public Optional<String> totpSecretFor(PiholeInstance instance) {
        return Optional.empty();
      }
    };
    ArchiveDownloader downloader = new ArchiveDownloader(client, credentials, archives, DownloadPolicy.DEFAULT, new RecordingPause(), Clock.systemUTC());
    backups = BackupGraph.of(catalog, instances, backupRepository, downloader, archives, reader,
        new RetentionService(backupRepository, archives, ZoneOffset.UTC, 7, Events.NONE), clock, Events.NONE, berlin);
    SyncGroups syncGroups = new SyncGroups(groups, Map.of(), instances);
    SyncRunner runner = new SyncRunner(backups.safeChanges(), catalog, instances, downloader, reader, runnerRuns, clock);
    SyncService sync = new SyncService(syncGroups, backups.runs(), catalog, runner, runs, restores);
    tickets = new SyncTickets(sync, syncGroups, runs, (group, ticket) -> launched.add(group), new Jobs(jobRepository, clock, "test", true));
    interrupted = new InterruptedSyncs(syncGroups, runs, runner, berlin);
    return sync;
  }

  private static SyncGroup group(RestoreMode mode, boolean keepReplicaDns, Set<String> excluded, String... replicas) {
    return new SyncGroup("HOME", "MAIN", List.of(replicas), mode, excluded, keepReplicaDns, null, SyncGroup.Snapshot.FIRST);
  }

  private static String setting(FakePihole pihole, String key) {
    String toml = new String(TestArchives.entry(pihole.currentArchive(), "etc/pihole/pihole.toml"), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("(?m)^\\s*" + key + " = (.*)$").matcher(toml);
    return m.find() ? m.group(1) : null;
  }

  private Map<ListCategory, ContentDiff.Category> listsBetween(FakePihole a, FakePihole b) throws IOException {
    Path one = Files.write(dir.resolve("one.zip"), a.currentArchive());
    Path two = Files.write(dir.resolve("two.zip"), b.currentArchive());
    return reader.listChanges(one, two, 10);
  }

  private List<String> dnsRecords(FakePihole pihole) throws IOException {
    return reader.settings(Files.write(dir.resolve("live.zip"), pihole.currentArchive())).dnsRecords();
  }

  private static long exports(FakePihole pihole) {
    return pihole.requests().stream().filter(r -> r.startsWith("GET /api/teleporter")).count();
  }

  private static List<String> writes(FakePihole pihole) {
    return pihole.requests().stream().filter(r -> r.startsWith("POST /api/teleporter") || r.startsWith("PATCH")).toList();
  }

  @Test
  void aDomainAddedOnThePrimaryReachesEveryReplicaWhoseIdentityStaysItsOwnAndASecondRunSendsNothing() throws Exception {
    FakePihole main = primary();
    FakePihole one = replica();
    FakePihole two = replica();
    Map<String, Map<String, String>> identityBefore = Map.of("one", identity(one), "two", identity(two));
    SyncService sync = service(List.of(group(RestoreMode.ALL_BUT_IDENTITY, false, Set.of(), "ONE", "TWO")),
        Map.of("MAIN", main.url(), "ONE", one.url(), "TWO", two.url()));

    List<SyncRun> first = sync.run("home");

    assertThat(first).extracting(SyncRun::outcome).as(first.toString()).containsExactly(SyncRun.Outcome.SYNCED, SyncRun.Outcome.SYNCED);
    for (FakePihole replica : List.of(one, two)) {
      assertThat(listsBetween(main, replica).values()).allMatch(c -> c.addedTotal() + c.removedTotal() + c.changedTotal() == 0);
      assertThat(dnsRecords(replica)).containsExactlyInAnyOrderElementsOf(dnsRecords(main));
      assertThat(setting(replica, "replyWhenBusy")).startsWith("\"DROP\"");
      assertThat(replica.restarts()).isEqualTo(1);
      assertThat(replica.activeSessions()).as("logged out").isZero();
    }
    assertThat(identity(one)).isEqualTo(identityBefore.get("one"));
    assertThat(identity(two)).isEqualTo(identityBefore.get("two"));
    assertThat(first.get(0).changes()).contains("+1 domain");

    int requestsBefore = one.requests().size();
    int writesBefore = writes(one).size() + writes(two).size();
    List<SyncRun> second = sync.run("home");

    assertThat(second).extracting(SyncRun::outcome).containsExactly(SyncRun.Outcome.IN_SYNC, SyncRun.Outcome.IN_SYNC);
    assertThat(one.restarts()).isEqualTo(1);
    assertThat(two.restarts()).isEqualTo(1);
    assertThat(writes(one).size() + writes(two).size()).as("no import or PATCH in the second run").isEqualTo(writesBefore);
    List<String> secondRequests = one.requests().subList(requestsBefore, one.requests().size());
    assertThat(secondRequests).as("one login, one export, logged out").containsSubsequence("POST /api/auth", "GET /api/teleporter", "DELETE /api/auth")
        .containsOnly("POST /api/auth", "GET /api/auth/sessions", "GET /api/teleporter", "DELETE /api/auth")
        .filteredOn("POST /api/auth"::equals).hasSize(1);
  }

  private static Map<String, String> identity(FakePihole pihole) {
    Map<String, String> values = new HashMap<>();
    IDENTITY.forEach(k -> values.put(k, setting(pihole, k)));
    return values;
  }

  @Test
  void aReplicaOnlyLocalDnsRecordSurvivesWhenKeptAndIsRemovedOtherwise() throws Exception {
    FakePihole main = primary();
    FakePihole kept = replica();
    FakePihole dropped = replica();
    for (FakePihole replica : List.of(kept, dropped)) {
      addRecord(replica, "10.0.0.5 only-replica.lan");
    }
    SyncService keeping = service(List.of(new SyncGroup("KEEP", "MAIN", List.of("KEPT"), RestoreMode.LISTS_AND_DNS, Set.of(), true, null,
        SyncGroup.Snapshot.NEVER), new SyncGroup("DROP", "OTHER", List.of("DROPPED"), RestoreMode.LISTS_AND_DNS, Set.of(), false, null,
        SyncGroup.Snapshot.NEVER)), Map.of("MAIN", main.url(), "OTHER", main.url(), "KEPT", kept.url(), "DROPPED", dropped.url()));

    assertThat(keeping.run("keep")).extracting(SyncRun::outcome).containsExactly(SyncRun.Outcome.SYNCED);
    assertThat(keeping.run("drop")).extracting(SyncRun::outcome).containsExactly(SyncRun.Outcome.SYNCED);

    assertThat(dnsRecords(kept)).contains("10.0.0.5 only-replica.lan", "192.168.1.11 printer.lan");
    assertThat(dnsRecords(dropped)).doesNotContain("10.0.0.5 only-replica.lan").contains("192.168.1.11 printer.lan");
  }

  private void addRecord(FakePihole pihole, String record) throws IOException {
    List<String> records = new ArrayList<>(dnsRecords(pihole));
    records.add(record);
    try (PiholeSession session = client.open(new PiholeTarget("r", pihole.url(), null, Optional.of("labpass"), Optional.empty(), TlsTrust.SYSTEM,
        Duration.ofSeconds(5), Set.of()))) {
      assertThat(session.patchConfig("dns.hosts", io.piholecheckpoint.core.units.JsonText.stringArray(records))).isEmpty();
    }
  }

  @Test
  void aKeyForcedOnAReplicaIsReportedAndTheRestApplied() throws Exception {
    FakePihole main = primary();
    FakePihole forced = replica();
    forced.forceKeys("dns.upstreams");
    SyncService sync = service(List.of(group(RestoreMode.ALL_BUT_IDENTITY, false, Set.of(), "FORCED")), Map.of("MAIN", main.url(), "FORCED", forced.url()));

    SyncRun run = sync.run("home").get(0);

    assertThat(run.outcome()).as(run.message()).isEqualTo(SyncRun.Outcome.PARTIAL);
    assertThat(run.refused()).singleElement().asString().startsWith("dns.upstreams:");
    assertThat(run.message()).contains("FTLCONF_").contains("EXCLUDE_SETTINGS");
    assertThat(setting(forced, "replyWhenBusy")).startsWith("\"DROP\"");
    assertThat(listsBetween(main, forced).get(ListCategory.DOMAINS).addedTotal()).isZero();
  }

  /** r48-restore's sibling: a sync's own login, refused by the replica, left its instance 'ok', though a backup's refused login sets auth_error. */
  @Test
  void aReplicaThatRefusesThePasswordFailsAloneAndItsInstanceSaysAuthErrorAsAfterABackup() throws Exception {
    FakePihole main = primary();
    FakePihole refusing = replica();
    SyncService sync = service(List.of(new SyncGroup("HOME", "MAIN", List.of("R"), RestoreMode.ALL_BUT_IDENTITY, Set.of(), false, null,
        SyncGroup.Snapshot.NEVER)), Map.of("MAIN", main.url(), "R", refusing.url()));
    long replica = instance("R").id();
    assertThat(backups.runBackup(replica, Backup.Trigger.MANUAL).successful()).isTrue();
    assertThat(instances.find(replica).status().connection()).isEqualTo(ConnectionStatus.OK);
    refusing.changePassword("otherpw");

    SyncRun run = sync.run("home").get(0);

    assertThat(run.outcome()).as(run.message()).isEqualTo(SyncRun.Outcome.FAILED);
    assertThat(run.code()).isEqualTo("wrong_password");
    PiholeInstance.Status status = instances.find(replica).status();
    assertThat(status.connection()).as(status.toString()).isEqualTo(ConnectionStatus.AUTH_ERROR);
    assertThat(status.message()).isEqualTo(run.message());
    assertThat(writes(refusing)).as("nothing sent").isEmpty();
  }

  /** Outsider 49 F13: a Preview whose login the replica refused said so, but left the replica 'ok' on the dashboard. */
  @Test
  void aPreviewWhoseLoginAReplicaRefusesSetsItsInstanceToAuthErrorAsARunDoes() throws Exception {
    FakePihole main = primary();
    FakePihole refusing = replica();
    SyncService sync = service(List.of(group(RestoreMode.ALL_BUT_IDENTITY, false, Set.of(), "R")), Map.of("MAIN", main.url(), "R", refusing.url()));
    long replica = instance("R").id();
    assertThat(backups.runBackup(replica, Backup.Trigger.MANUAL).successful()).isTrue();
    refusing.changePassword("otherpw");

    ReplicaPlan plan = sync.preview("home").get(instance("R").name());

    assertThat(plan.skipped()).contains("wrong password");
    PiholeInstance.Status status = instances.find(replica).status();
    assertThat(status.connection()).as(status.toString()).isEqualTo(ConnectionStatus.AUTH_ERROR);
    assertThat(plan.skipped()).endsWith(status.message());
  }

  /** A PATCH answered 401 was recorded as a refused setting ("Unauthorized"): the session had ended, and the key was never looked at. */
  @Test
  void aSettingAnswered401IsSentAgainAfterANewLoginNotReportedAsRefused() throws Exception {
    FakePihole main = primary();
    FakePihole replica = replica();
    SyncService sync = service(List.of(group(RestoreMode.ALL_BUT_IDENTITY, false, Set.of(), "R")), Map.of("MAIN", main.url(), "R", replica.url()));
    replica.endSessionsAtPatches(1);

    SyncRun run = sync.run("home").get(0);

    assertThat(run.outcome()).as(run.message()).isEqualTo(SyncRun.Outcome.SYNCED);
    assertThat(run.refused()).isEmpty();
    assertThat(setting(replica, "replyWhenBusy")).startsWith("\"DROP\"");
    assertThat(replica.activeSessions()).as("logged out").isZero();
  }

  /**
   * A key answered 401 again in a new session ends the run: the lists imported before it are said to be applied, that key and
   * every one after it NOT applied, in the record's list and its message (it listed none, as a restore did before round 49).
   */
  @Test
  void aSettingAnswered401AgainAfterANewLoginFailsTheRunListingWhatWasAppliedAndWhatWasNotAndSetsTheReplicasStatus() throws Exception {
    FakePihole main = primary();
    FakePihole replica = replica();
    SyncService sync = service(List.of(group(RestoreMode.ALL_BUT_IDENTITY, false, Set.of(), "R")), Map.of("MAIN", main.url(), "R", replica.url()));
    replica.endSessionsAtPatches(2);

    SyncRun run = sync.run("home").get(0);

    assertThat(run.outcome()).as(run.message()).isEqualTo(SyncRun.Outcome.FAILED);
    assertThat(run.code()).isEqualTo("wrong_password");
    assertThat(run.refused()).as("none was applied: a new run is needed").satisfiesExactly(
        hosts -> assertThat(hosts).startsWith("dns.hosts: NOT applied, the sync ended before it"),
        busy -> assertThat(busy).startsWith("dns.replyWhenBusy: NOT applied"),
        upstreams -> assertThat(upstreams).startsWith("dns.upstreams: NOT applied"));
    assertThat(run.message()).contains("partly changed", "HTTP 401", "no longer knew the session", "again in a new session",
        "; applied: lists; 3 step(s) were NOT applied: dns.hosts, dns.replyWhenBusy, dns.upstreams (a new run sends them)");
    assertThat(String.valueOf(setting(replica, "replyWhenBusy"))).as("not sent").doesNotStartWith("\"DROP\"");
    PiholeInstance.Status status = instances.find(instance("R").id()).status();
    assertThat(status.connection()).as(status.toString()).isEqualTo(ConnectionStatus.AUTH_ERROR);
    assertThat(run.message()).contains(status.message());
    assertThat(status.message()).contains("again in a new session");
  }

  private PiholeInstance instance(String prefix) {
    return instances.list().stream().filter(i -> i.envPrefix().equals(prefix)).findFirst().orElseThrow();
  }

  @Test
  void anExcludedSettingIsNotCopied() throws Exception {
    FakePihole main = primary();
    FakePihole replica = replica();
    SyncService sync = service(List.of(group(RestoreMode.ALL_BUT_IDENTITY, false, Set.of("dns.upstreams"), "R")), Map.of("MAIN", main.url(), "R", replica.url()));

    assertThat(sync.run("home").get(0).outcome()).isEqualTo(SyncRun.Outcome.SYNCED);

    assertThat(setting(replica, "upstreams")).isEqualTo("[]");
    assertThat(setting(replica, "replyWhenBusy")).startsWith("\"DROP\"");
  }

  @Test
  void anUnreachableReplicaFailsAloneWhileTheOthersSync() throws Exception {
    FakePihole main = primary();
    FakePihole reachable = replica();
    SyncService sync = service(List.of(group(RestoreMode.LISTS_AND_DNS, false, Set.of(), "GONE", "UP")),
        Map.of("MAIN", main.url(), "GONE", "http://127.0.0.1:" + Ports.unused(), "UP", reachable.url()));

    List<SyncRun> runs = sync.run("home");

    assertThat(runs.get(0).outcome()).isEqualTo(SyncRun.Outcome.FAILED);
    assertThat(runs.get(0).code()).isEqualTo("unreachable");
    assertThat(runs.get(1).outcome()).as(runs.get(1).message()).isEqualTo(SyncRun.Outcome.SYNCED);
  }

  /**
   * The primary's archive is one the passphrase set does not open (a start with the wrong BACKUP_ENCRYPTION_PASSPHRASE): said as
   * every reader of it says it, wrong_passphrase with what to do, not "failed unexpectedly" with a stack trace.
   */
  @Test
  void aPassphraseThatDoesNotOpenTheArchiveIsRecordedAsWrongPassphraseNotUnexpected() throws Exception {
    FakePihole main = primary();
    FakePihole replica = replica();
    runnerRuns = (io.piholecheckpoint.core.sync.runs.SyncRunRepository) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {io.piholecheckpoint.core.sync.runs.SyncRunRepository.class}, (proxy, method, args) -> {
          if (method.getName().equals("hasSnapshot")) {
            // what opening the archive throws then; asked here, the first step of the run that can fail
            throw new io.piholecheckpoint.core.archive.WrongPassphraseException("cannot decrypt the archive (checksum mismatch)"
                + " — is BACKUP_ENCRYPTION_PASSPHRASE the passphrase it was written with?");
          }
          try {
            return method.invoke(runs, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
    SyncService sync = service(List.of(group(RestoreMode.LISTS_AND_DNS, false, Set.of(), "R")), Map.of("MAIN", main.url(), "R", replica.url()));

    SyncRun run = sync.run("home").get(0);

    assertThat(run.outcome()).isEqualTo(SyncRun.Outcome.FAILED);
    assertThat(run.code()).isEqualTo("wrong_passphrase");
    assertThat(run.message()).contains("cannot decrypt", "start Pi-hole Checkpoint with the BACKUP_ENCRYPTION_PASSPHRASE")
        .doesNotContain("unexpected");
  }

  /** Another session locks the runs' table: the read of the replica's safety backup is cancelled at its limit, and said as busy. */
  @Test
  void aReplicaTheDatabaseFailsIsRecordedAsDatabaseBusyNotUnexpected() throws Exception {
    FakePihole main = primary();
    FakePihole replica = replica();
    runnerRuns = (io.piholecheckpoint.core.sync.runs.SyncRunRepository) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {io.piholecheckpoint.core.sync.runs.SyncRunRepository.class}, (proxy, method, args) -> {
          if (method.getName().equals("hasSnapshot")) {
            // as the persistence adapter reports PostgreSQL's cancel of a read at its time limit
            throw new io.piholecheckpoint.core.job.DatabaseBusyException(io.piholecheckpoint.core.job.DatabaseBusyException.Access.READ,
                io.piholecheckpoint.core.job.DatabaseBusyException.Limit.READ_LIMIT,
                new java.sql.SQLException("ERROR: canceling statement due to user request", "57014"));
          }
          try {
            return method.invoke(runs, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
    SyncService sync = service(List.of(group(RestoreMode.LISTS_AND_DNS, false, Set.of(), "R")), Map.of("MAIN", main.url(), "R", replica.url()));

    SyncRun run;
    String logged;
    try (io.piholecheckpoint.testing.CapturedOutput output = io.piholecheckpoint.testing.CapturedOutput.start()) {
      run = sync.run("home").get(0);
      logged = output.text();
    }

    assertThat(run.outcome()).isEqualTo(SyncRun.Outcome.FAILED);
    assertThat(run.code()).isEqualTo("database_busy");
    assertThat(run.message()).contains("the database was busy").contains("run it again").doesNotContain("unexpected");
    // expected and passing, as every job's busy database (JobFailures): the run's one WARN line, not an ERROR with a trace before it
    assertThat(logged.lines().filter(l -> l.contains("WARN") || l.contains("ERROR"))).singleElement().asString()
        .contains("WARN", "'Pi-hole R'", "the database was busy");
    assertThat(logged).doesNotContain("\tat ");
  }

  @Test
  void anAppPasswordWithoutAppSudoFailsWithTheFixInTheMessageAndChangesNothing() throws Exception {
    FakePihole main = primary();
    FakePihole readOnly = fake(FakePihole.builder().password("labpass").appPassword("app").archive(Fixtures.archiveA()));
    passwords.put("RO", "app");
    SyncService sync = service(List.of(group(RestoreMode.LISTS_AND_DNS, false, Set.of(), "RO")), Map.of("MAIN", main.url(), "RO", readOnly.url()));

    SyncRun run = sync.run("home").get(0);

    assertThat(run.outcome()).isEqualTo(SyncRun.Outcome.FAILED);
    assertThat(run.code()).isEqualTo("read_only_session");
    assertThat(run.message()).contains("webserver.api.app_sudo=true");
    assertThat(readOnly.restarts()).isZero();
  }

  @Test
  void aPreviewWarnsOfAnAppPasswordWithoutAppSudoWithTheFixAndOnlyForThatReplica() throws Exception {
    FakePihole main = primary();
    FakePihole readOnly = fake(FakePihole.builder().password("labpass").appPassword("app").archive(Fixtures.archiveA()));
    FakePihole writable = replica();
    passwords.put("RO", "app");
    SyncService sync = service(List.of(group(RestoreMode.LISTS_AND_DNS, false, Set.of(), "RO", "RW")),
        Map.of("MAIN", main.url(), "RO", readOnly.url(), "RW", writable.url()));

    Map<String, ReplicaPlan> preview = sync.preview("home");

    assertThat(setting(readOnly, "app_sudo")).as("the replica's own export says so").isEqualTo("false");
    assertThat(preview.get("Pi-hole RO").warning()).contains("would fail with 403", "app password", "webserver.api.app_sudo=true",
        "or give Pi-hole Checkpoint its password");
    assertThat(preview.get("Pi-hole RW").warning()).as("signed in to with its password").isNull();
    assertThat(readOnly.restarts()).isZero();
    assertThat(writes(readOnly)).isEmpty();
  }

  @Test
  void aPreviewShowsEachReplicasDifferenceAndChangesNothing() throws Exception {
    FakePihole main = primary();
    FakePihole replica = replica();
    SyncService sync = service(List.of(group(RestoreMode.LISTS_AND_DNS, false, Set.of(), "R")), Map.of("MAIN", main.url(), "R", replica.url()));

    Map<String, ReplicaPlan> preview = sync.preview("home");

    ReplicaPlan plan = preview.get("Pi-hole R");
    assertThat(plan.lists()).isTrue();
    assertThat(plan.diff().categories().get("domains").added()).contains("deny exact telemetry.example.com");
    assertThat(plan.dnsRecords()).contains("192.168.1.11 printer.lan");
    assertThat(writes(replica)).isEmpty();
    assertThat(replica.restarts()).isZero();
    assertThat(runs.findByGroup("home", null, 10)).isEmpty();
    assertThat(catalog.latest()).as("no backup of the primary was taken, which would start the sync after it").isEmpty();
  }

  /** The outsider's case: a dry run of a replica it could not sign in to said "no changes". */
  @Test
  void aPreviewSaysNoChangesOnlyOfAReplicaItComparedAndNotLookedAtOfOneItCouldNotReach() throws Exception {
    FakePihole main = primary();
    FakePihole wrongPassword = replica();
    FakePihole same = fake(FakePihole.builder().password("labpass").archive(main.currentArchive()));
    passwords.put("BAD", "not its password");
    SyncService sync = service(List.of(group(RestoreMode.LISTS_AND_DNS, false, Set.of(), "BAD", "SAME")),
        Map.of("MAIN", main.url(), "BAD", wrongPassword.url(), "SAME", same.url()));

    Map<String, ReplicaPlan> preview = sync.preview("home");

    assertThat(preview.get("Pi-hole BAD").unseen()).isTrue();
    assertThat(preview.get("Pi-hole BAD").summary()).isEqualTo("not looked at");
    assertThat(preview.get("Pi-hole SAME").empty()).isTrue();
    assertThat(preview.get("Pi-hole SAME").summary()).isEqualTo("no changes");
  }

  @Test
  void aPinnedSafetyBackupOfTheReplicaIsTakenBeforeItsFirstSyncOnly() throws Exception {
    FakePihole main = primary();
    FakePihole replica = replica();
    byte[] before = replica.currentArchive();
    SyncService sync = service(List.of(group(RestoreMode.LISTS_AND_DNS, false, Set.of(), "R")), Map.of("MAIN", main.url(), "R", replica.url()));

    SyncRun first = sync.run("home").get(0);
    main.archive(Fixtures.archiveA());
    backups.runBackup(instances.list().stream().filter(i -> i.envPrefix().equals("MAIN")).findFirst().orElseThrow().id(), Backup.Trigger.MANUAL);
    SyncRun second = sync.run("home").get(0);

    assertThat(first.snapshotId()).isNotNull();
    Backup snapshot = catalog.find(first.snapshotId());
    assertThat(snapshot.pinned()).isTrue();
    assertThat(snapshot.trigger()).as("a safety backup, not a person's manual one").isEqualTo(Backup.Trigger.SAFETY);
    assertThat(snapshot.instanceId()).isEqualTo(first.replicaId());
    try (ArchiveStore.PlainArchive archive = catalog.archiveOf(snapshot.id())) {
      Path was = Files.write(dir.resolve("before.zip"), before);
      assertThat(reader.listChanges(was, archive.path(), 0).values()).as("it holds the replica as it was")
          .allMatch(c -> c.addedTotal() + c.removedTotal() + c.changedTotal() == 0);
    }
    assertThat(second.outcome()).isEqualTo(SyncRun.Outcome.SYNCED);
    assertThat(second.snapshotId()).isNull();
  }

  @Test
  void snapshotAlwaysKeepsNoPinnedBackupOfARunThatChangedNothing() throws Exception {
    FakePihole main = primary();
    FakePihole replica = replica();
    SyncGroup always = new SyncGroup("HOME", "MAIN", List.of("R"), RestoreMode.LISTS_AND_DNS, Set.of(), false, null, SyncGroup.Snapshot.ALWAYS);
    SyncService sync = service(List.of(always), Map.of("MAIN", main.url(), "R", replica.url()));

    SyncRun first = sync.run("home").get(0);
    SyncRun second = sync.run("home").get(0);

    assertThat(first.snapshotId()).as("the first run changed the replica: its safety backup stays pinned").isNotNull();
    assertThat(catalog.find(first.snapshotId()).pinned()).isTrue();
    assertThat(second.outcome()).isEqualTo(SyncRun.Outcome.IN_SYNC);
    assertThat(second.snapshotId()).as("the run names the safety backup it took").isNotNull().isNotEqualTo(first.snapshotId());
    assertThat(catalog.find(second.snapshotId()).pinned()).as("unpinned: nothing was changed").isFalse();
    assertThat(catalog.history(first.replicaId(), new io.piholecheckpoint.core.backup.catalog.BackupRepository.Page(null, null, null, 100)).stream().filter(Backup::pinned)).as("pins do not pile up").hasSize(1);
  }

  /**
   * The outsider's case: polled while the run was at a replica, the job said "queued" with no runs. Its start was written as a
   * download's progress is, refused at once on SQLite while another connection held the file's write lock a moment (as the
   * scheduler's does when a job fires), and its runs only at the end.
   */
  @Test
  void aJobAskedForShowsItselfRunningAndEachReplicasRunAsItEnds() throws Exception {
    jobRepository = new InMemoryJobRepository() {
      @Override
      public synchronized void progress(String id, io.piholecheckpoint.core.job.Job.State state, long bytes, Long expectedBytes) {
        throw new io.piholecheckpoint.core.job.DatabaseBusyException(io.piholecheckpoint.core.job.DatabaseBusyException.Access.WRITE,
            io.piholecheckpoint.core.job.DatabaseBusyException.Limit.FILE_LOCKED, new java.sql.SQLException("[SQLITE_BUSY] The database file is locked"));
      }
    };
    FakePihole main = primary();
    FakePihole first = replica();
    FakePihole second = replica();
    SyncService sync = service(List.of(group(RestoreMode.LISTS, false, Set.of(), "R1", "R2")),
        Map.of("MAIN", main.url(), "R1", first.url(), "R2", second.url()));
    String job = tickets.start("home").job().id();
    FakePihole.Hold importing = second.holdImports();

    CompletableFuture<List<SyncRun>> running = CompletableFuture.supplyAsync(() -> tickets.runQueued("home", job));
    assertThat(importing.awaitStarted()).as("the run is at the second replica's import").isTrue();
    SyncTicket meanwhile = tickets.job(job).orElseThrow();
    importing.release();
    List<SyncRun> done = running.get(60, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(meanwhile.job().state()).isEqualTo(io.piholecheckpoint.core.job.Job.State.RUNNING);
    assertThat(meanwhile.runs()).extracting(SyncRun::id).containsExactly(done.get(0).id());
    assertThat(meanwhile.runs().get(0).outcome()).isEqualTo(SyncRun.Outcome.SYNCED);
    SyncTicket ended = tickets.job(job).orElseThrow();
    assertThat(ended.job().state()).isEqualTo(io.piholecheckpoint.core.job.Job.State.DONE);
    assertThat(ended.runs()).extracting(SyncRun::id).containsExactlyElementsOf(done.stream().map(SyncRun::id).toList());
  }

  /** Those writes are worth nothing once the run has moved on: lost to an outage, they are skipped and the run goes on to its end. */
  @Test
  void aJobWhoseRunningWritesAreLostToAnOutageStillRunsAndEnds() throws Exception {
    jobRepository = new InMemoryJobRepository() {
      @Override
      public synchronized void running(String id, List<Long> records) {
        throw new org.apache.ibatis.exceptions.PersistenceException("could not take a connection", new java.sql.SQLException(
            "Connection to 127.0.0.1:5432 refused", "08001"));
      }
    };
    FakePihole main = primary();
    FakePihole replica = replica();
    SyncService sync = service(List.of(group(RestoreMode.LISTS, false, Set.of(), "R")), Map.of("MAIN", main.url(), "R", replica.url()));
    String job = tickets.start("home").job().id();

    List<SyncRun> done = tickets.runQueued("home", job);

    assertThat(done).extracting(SyncRun::outcome).containsExactly(SyncRun.Outcome.SYNCED);
    SyncTicket ended = tickets.job(job).orElseThrow();
    assertThat(ended.job().state()).isEqualTo(io.piholecheckpoint.core.job.Job.State.DONE);
    assertThat(ended.runs()).extracting(SyncRun::id).containsExactly(done.get(0).id());
  }

  @Test
  void aSecondRunOfAGroupWhileOneRunsIsRefused() throws Exception {
    FakePihole main = primary();
    FakePihole replica = replica();
    SyncService sync = service(List.of(group(RestoreMode.LISTS, false, Set.of(), "R")), Map.of("MAIN", main.url(), "R", replica.url()));
    FakePihole.Hold hold = replica.holdImports();

    CompletableFuture<List<SyncRun>> running = CompletableFuture.supplyAsync(() -> sync.run("home"));
    assertThat(hold.awaitStarted()).isTrue();

    assertThatThrownBy(() -> sync.run("home")).isInstanceOf(SyncConflictException.class).hasMessageContaining("running already");
    hold.release();
    assertThat(running.get().get(0).outcome()).isEqualTo(SyncRun.Outcome.SYNCED);
  }

  @Test
  void aRunWhoseNodeDiesInTheImportIsRecordedAsInterruptedNamingItsPinnedSafetyBackup() throws Exception {
    FakePihole main = primary();
    FakePihole replica = replica();
    SyncService sync = service(List.of(group(RestoreMode.LISTS, false, Set.of(), "R")), Map.of("MAIN", main.url(), "R", replica.url()));
    FakePihole.Hold importing = replica.holdImports();
    CompletableFuture<List<SyncRun>> running = CompletableFuture.supplyAsync(() -> sync.run("home"));
    assertThat(importing.awaitStarted()).as("the run is at the replica's import").isTrue();
    Instant began = runs.running("home").orElseThrow().startedAt();

    // the node is killed here: the next start (or the node that finds it dead) records the run it left
    int left;
    try (CapturedOutput output = CapturedOutput.start()) {
      left = interrupted.interruptLeft(null, in -> "the process stopped");

      assertThat(output.text()).as("the log line's time carries its offset: the line's own stamp is UTC")
          .containsPattern("\\(started " + java.util.regex.Pattern.quote(berlin.of(began)) + " [+]0[12]:00\\)");
    }
    SyncRun interrupted = sync.history("home", null, 10).get(0);

    importing.release();
    running.get(60, java.util.concurrent.TimeUnit.SECONDS); // the killed run's thread, still here in this JVM, ends
    assertThat(left).isEqualTo(1);
    assertThat(interrupted.code()).isEqualTo("interrupted");
    assertThat(interrupted.startedAt()).as("when the run began, not when it was found interrupted").isEqualTo(began)
        .isBefore(interrupted.finishedAt());
    assertThat(interrupted.snapshotId()).as("the safety backup taken before the import").isNotNull();
    Backup snapshot = catalog.find(interrupted.snapshotId());
    assertThat(snapshot.pinned()).isTrue();
    assertThat(snapshot.instanceId()).isEqualTo(interrupted.replicaId());
    assertThat(interrupted.message()).contains("restore its safety backup " + snapshot.id());
    assertThat(interrupted.message()).as("when it started, in TIME_ZONE as the Sync page shows it, not as a UTC instant")
        .contains("(started " + berlin.of(began) + ")").doesNotContainPattern(ISO_INSTANT);
  }

  /** The outsider's case: a kill while the run hangs on the first replica; the second was never contacted. */
  @Test
  void aRunInterruptedAtItsFirstReplicaTellsTheReplicaItHadNotReachedThatNothingWasSentToIt() throws Exception {
    FakePihole main = primary();
    FakePihole first = replica();
    FakePihole second = replica();
    SyncService sync = service(List.of(new SyncGroup("HOME", "MAIN", List.of("R1", "R2"), RestoreMode.LISTS, Set.of(), false, null,
        SyncGroup.Snapshot.NEVER)), Map.of("MAIN", main.url(), "R1", first.url(), "R2", second.url()));
    FakePihole.Hold importing = first.holdImports();
    CompletableFuture<List<SyncRun>> running = CompletableFuture.supplyAsync(() -> sync.run("home"));
    assertThat(importing.awaitStarted()).as("the run is at the first replica's import").isTrue();

    interrupted.interruptLeft(null, in -> "the process stopped");
    Map<String, SyncRun> byReplica = sync.history("home", null, 10).stream()
        .collect(java.util.stream.Collectors.toMap(r -> instances.find(r.replicaId()).envPrefix(), r -> r));

    importing.release();
    running.get(60, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(byReplica.get("R1").message()).contains("interrupted: the process stopped during this run (started", "may have been changed in part");
    assertThat(byReplica.get("R2").code()).isEqualTo("interrupted");
    assertThat(byReplica.get("R2").message()).startsWith("interrupted: the process stopped during this run (started")
        .contains("had not reached this replica, nothing was sent to it").doesNotContain("changed in part");
  }

  @Test
  void aPrimaryWithoutABackupThatCannotBeBackedUpFailsEachReplicaAndSendsNothing() throws Exception {
    FakePihole replica = replica();
    SyncService sync = service(List.of(group(RestoreMode.LISTS_AND_DNS, false, Set.of(), "R")),
        Map.of("MAIN", "http://127.0.0.1:" + Ports.unused(), "R", replica.url()));

    List<SyncRun> done = sync.run("home");

    assertThat(done).singleElement().satisfies(run -> {
      assertThat(run.outcome()).isEqualTo(SyncRun.Outcome.FAILED);
      assertThat(run.code()).isEqualTo("no_primary_backup");
      assertThat(run.message()).startsWith("nothing was sent: the primary 'Pi-hole MAIN' has no good backup").contains("unreachable");
    });
    assertThat(runs.findByGroup("home", null, 10)).hasSize(1);
    assertThat(replica.requests()).isEmpty();
  }

  /** A clean-up on the primary looks like a wipe: syncing its older good backup would push back what it dropped. */
  @Test
  void aPrimaryWhoseNewestBackupIsSuspiciousHoldsEveryReplicaSendingNothingAndAPreviewSaysSo() throws Exception {
    FakePihole main = primary();
    FakePihole replica = replica();
    SyncService sync = service(List.of(group(RestoreMode.LISTS_AND_DNS, false, Set.of(), "R")), Map.of("MAIN", main.url(), "R", replica.url()));
    PiholeInstance primary = instances.list().stream().filter(i -> i.envPrefix().equals("MAIN")).findFirst().orElseThrow();
    assertThat(backups.runBackup(primary.id(), Backup.Trigger.SCHEDULED).suspicious()).isFalse();
    main.archive(TestArchives.withoutAdlists(main.currentArchive()));
    Backup cleaned = backups.runBackup(primary.id(), Backup.Trigger.SCHEDULED);
    assertThat(cleaned.suspicious()).isTrue();

    List<SyncRun> done = sync.run("home");
    Map<String, ReplicaPlan> preview = sync.preview("home");

    assertThat(done).singleElement().satisfies(run -> {
      assertThat(run.outcome()).isEqualTo(SyncRun.Outcome.FAILED);
      assertThat(run.code()).isEqualTo("primary_suspicious");
      assertThat(run.message()).startsWith("held: nothing was sent").contains("backup " + cleaned.id() + ", the newest of the primary '" + primary.name() + "', is flagged suspicious")
          .contains("fix it and back it up again");
    });
    assertThat(preview.values()).singleElement().satisfies(plan -> assertThat(plan.skipped()).isEqualTo(done.get(0).message()));
    assertThat(replica.requests()).as("the replica is not contacted").isEmpty();
  }

  /**
   * Outsider 49 F2: the primary's newest backup found damaged (by a Verify, a preview, the daily check) or gone from the disk; an
   * older good backup would sync the replicas back to what the primary held before. The run is held instead, the replica not
   * contacted, and a preview says the same.
   */
  @Test
  void aPrimaryWhoseNewestArchiveIsDamagedOrMissingHoldsEveryReplicaRatherThanSyncThemBackToAnOlderBackup() throws Exception {
    FakePihole main = primary();
    FakePihole replica = replica();
    SyncService sync = service(List.of(group(RestoreMode.LISTS_AND_DNS, false, Set.of(), "R")), Map.of("MAIN", main.url(), "R", replica.url()));
    PiholeInstance primary = instances.list().stream().filter(i -> i.envPrefix().equals("MAIN")).findFirst().orElseThrow();
    backups.runBackup(primary.id(), Backup.Trigger.SCHEDULED);
    main.archive(TestArchives.withAdlistChanged(main.currentArchive()));
    Backup newest = backups.runBackup(primary.id(), Backup.Trigger.SCHEDULED);
    assertThat(newest.successful()).isTrue();
    assertThat(newest.suspicious()).isFalse();
    backupRepository.setVerifyError(newest.id(), "its SHA-256 differs from the record's");

    List<SyncRun> damaged = sync.run("home");
    Map<String, ReplicaPlan> preview = sync.preview("home");
    backupRepository.setVerifyError(newest.id(), null);
    backupRepository.setFileMissing(newest.id(), true);
    List<SyncRun> missing = sync.run("home");

    assertThat(damaged).singleElement().satisfies(run -> {
      assertThat(run.outcome()).isEqualTo(SyncRun.Outcome.FAILED);
      assertThat(run.code()).isEqualTo("primary_unreadable");
      assertThat(run.message()).startsWith("held: nothing was sent").contains("backup " + newest.id() + ", the newest of the primary '").contains("', is damaged on this disk")
          .contains("its SHA-256 differs").contains("Back the primary up again");
    });
    assertThat(preview.values()).singleElement().satisfies(plan -> assertThat(plan.skipped()).isEqualTo(damaged.get(0).message()));
    assertThat(missing).singleElement().satisfies(run -> {
      assertThat(run.code()).isEqualTo("primary_unreadable");
      assertThat(run.message()).contains("backup " + newest.id() + ", the newest of the primary '").contains("', is missing from this disk");
    });
    assertThat(replica.requests()).as("the replica is not contacted").isEmpty();
  }

  /**
   * Outsider 50 F2: the primary's newest archive found damaged (a byte changed after its last check) or gone only when the run opens
   * it, through the store that checks each archive against its record: the run that met it failed as "unexpected" with a stack
   * trace, a missing one as "not_possible", and the preview answered 409 or 404. Each is held as one found before is, on the
   * first run and in a first preview alike; the replica is not contacted.
   */
  @Test
  void aPrimaryArchiveFoundDamagedOrGoneOnlyAtTheRunIsHeldOnTheFirstRunAndInThePreviewWithNothingSent() throws Exception {
    try (io.piholecheckpoint.persistence.Database database = io.piholecheckpoint.persistence.Database.open(dir.resolve("catalogue.db"))) {
      io.piholecheckpoint.persistence.Migrations.migrate(database, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
      opening = local -> new io.piholecheckpoint.core.recovery.fetch.FetchingArchiveStore(local,
          new io.piholecheckpoint.persistence.MyBatisCopyRepository(database), backupRepository,
          io.piholecheckpoint.core.offsite.remote.OffsiteTargets.of(List.of()), io.piholecheckpoint.core.archive.ArchiveCipher.NONE, clock);
      FakePihole main = primary();
      FakePihole replica = replica();
      SyncService sync = service(List.of(group(RestoreMode.LISTS_AND_DNS, false, Set.of(), "R")), Map.of("MAIN", main.url(), "R", replica.url()));
      PiholeInstance primary = instances.list().stream().filter(i -> i.envPrefix().equals("MAIN")).findFirst().orElseThrow();

      Backup flippedBeforeRun = newestWith(main, primary, "DROP-1");
      flipAByte(dir.resolve(flippedBeforeRun.fileName()));
      List<SyncRun> damagedRun;
      try (CapturedOutput output = CapturedOutput.start()) {
        damagedRun = sync.run("home");
        assertThat(output.text()).as("no stack trace in the log").doesNotContain("failed unexpectedly").doesNotContain("\tat io.");
      }
      Backup flippedBeforePreview = newestWith(main, primary, "DROP-2");
      flipAByte(dir.resolve(flippedBeforePreview.fileName()));
      Map<String, ReplicaPlan> damagedPreview = sync.preview("home");
      Backup removed = newestWith(main, primary, "DROP-3");
      Files.delete(dir.resolve(removed.fileName()));
      Map<String, ReplicaPlan> missingPreview = sync.preview("home");
      List<SyncRun> missingRun = sync.run("home");

      assertThat(damagedRun).singleElement().satisfies(run -> {
        assertThat(run.code()).as(run.message()).isEqualTo("primary_unreadable");
        assertThat(run.message()).startsWith("held: nothing was sent").contains("backup " + flippedBeforeRun.id() + ", the newest of the primary '").contains("', is damaged on this disk")
            .contains("Back the primary up again");
      });
      assertThat(damagedPreview.values()).singleElement().satisfies(plan -> assertThat(plan.skipped()).startsWith("held: nothing was sent")
          .contains("backup " + flippedBeforePreview.id() + ", the newest of the primary '").contains("', is damaged on this disk"));
      assertThat(missingRun).singleElement().satisfies(run -> {
        assertThat(run.code()).as(run.message()).isEqualTo("primary_unreadable");
        assertThat(run.message()).isEqualTo("held: nothing was sent — the archive of backup " + removed.id() + ", the newest of the primary '" + primary.name() + "',"
            + " is missing from this disk, and an older backup would sync the replicas back to what the primary held before it. Back the"
            + " primary up again (the next run syncs from that backup), or put the archive back and Verify backup " + removed.id());
      });
      assertThat(missingPreview.values()).singleElement().satisfies(plan -> assertThat(plan.skipped()).isEqualTo(missingRun.get(0).message()));
      assertThat(replica.requests()).as("the replica is not contacted").isEmpty();
    }
  }

  /**
   * Issue 13: the primary's archive damaged or gone in the moment between the group's first open of it and a replica's run. The
   * first open held such a run (above); the replica's own open still ended it as "unexpected" with a stack trace (damaged) or
   * "not_possible" (missing), and a missing archive was found again at every run, never recorded on its backup.
   */
  @Test
  void aPrimaryArchiveDamagedOrGoneJustBeforeAReplicasRunHoldsItAndAMissingOneIsRecordedOnItsBackup() throws Exception {
    try (io.piholecheckpoint.persistence.Database database = io.piholecheckpoint.persistence.Database.open(dir.resolve("catalogue.db"))) {
      io.piholecheckpoint.persistence.Migrations.migrate(database, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
      java.util.concurrent.atomic.AtomicReference<FileChange> atSecondOpen = new java.util.concurrent.atomic.AtomicReference<>();
      java.util.concurrent.atomic.AtomicInteger opens = new java.util.concurrent.atomic.AtomicInteger();
      opening = local -> secondOpenDoing(new io.piholecheckpoint.core.recovery.fetch.FetchingArchiveStore(local,
          new io.piholecheckpoint.persistence.MyBatisCopyRepository(database), backupRepository,
          io.piholecheckpoint.core.offsite.remote.OffsiteTargets.of(List.of()), io.piholecheckpoint.core.archive.ArchiveCipher.NONE, clock),
          opens, atSecondOpen);
      FakePihole main = primary();
      FakePihole replica = replica();
      SyncService sync = service(List.of(group(RestoreMode.LISTS_AND_DNS, false, Set.of(), "R")), Map.of("MAIN", main.url(), "R", replica.url()));
      PiholeInstance primary = instances.list().stream().filter(i -> i.envPrefix().equals("MAIN")).findFirst().orElseThrow();

      Backup damaged = newestWith(main, primary, "DROP-1");
      opens.set(0);
      atSecondOpen.set(() -> flipAByte(dir.resolve(damaged.fileName())));
      List<SyncRun> damagedRun;
      try (CapturedOutput output = CapturedOutput.start()) {
        damagedRun = sync.run("home");
        assertThat(output.text()).as("no stack trace in the log").doesNotContain("failed unexpectedly").doesNotContain("\tat io.");
      }
      Backup removed = newestWith(main, primary, "DROP-2");
      opens.set(0);
      atSecondOpen.set(() -> Files.delete(dir.resolve(removed.fileName())));
      List<SyncRun> missingRun = sync.run("home");
      int opensBefore = opens.get();
      List<SyncRun> nextRun = sync.run("home");
      int opensAfter = opens.get();
      Backup damagedBeforePreview = newestWith(main, primary, "DROP-3");
      opens.set(0);
      atSecondOpen.set(() -> flipAByte(dir.resolve(damagedBeforePreview.fileName())));
      Map<String, ReplicaPlan> preview = sync.preview("home");

      assertThat(damagedRun).singleElement().satisfies(run -> {
        assertThat(run.code()).as(run.message()).isEqualTo("primary_unreadable");
        assertThat(run.message()).startsWith("held: nothing was sent").contains("backup " + damaged.id() + ", the newest of the primary '").contains("', is damaged on this disk");
      });
      assertThat(missingRun).singleElement().satisfies(run -> {
        assertThat(run.code()).as(run.message()).isEqualTo("primary_unreadable");
        assertThat(run.message()).startsWith("held: nothing was sent").contains("backup " + removed.id() + ", the newest of the primary '").contains("', is missing from this disk");
      });
      assertThat(catalog.find(removed.id()).fileMissing()).as("recorded on the backup, as a Verify would").isTrue();
      assertThat(nextRun).singleElement().satisfies(run -> assertThat(run.message()).isEqualTo(missingRun.get(0).message()));
      assertThat(opensAfter).as("the next run holds by the record, without looking for the file again").isEqualTo(opensBefore);
      assertThat(preview.values()).singleElement().satisfies(plan -> assertThat(plan.skipped()).startsWith("held: nothing was sent")
          .contains("backup " + damagedBeforePreview.id() + ", the newest of the primary '").contains("', is damaged on this disk"));
      // its safety backup (SNAPSHOT=first) was taken before the primary's archive was opened again: an export, nothing sent
      assertThat(replica.requests()).as("nothing sent to the replica").noneMatch(r -> r.startsWith("POST /api/teleporter") || r.startsWith("PATCH"));
    }
  }

  private interface FileChange {
    void run() throws IOException;
  }

  /** {@code store}, counting its opens, whose second open since {@code opens} was reset first does {@code change}, once. */
  private static ArchiveStore secondOpenDoing(ArchiveStore store, java.util.concurrent.atomic.AtomicInteger opens,
      java.util.concurrent.atomic.AtomicReference<FileChange> change) {
    return (ArchiveStore) java.lang.reflect.Proxy.newProxyInstance(ArchiveStore.class.getClassLoader(), new Class<?>[] {ArchiveStore.class},
        (proxy, method, args) -> {
          if (method.getName().equals("open") && opens.incrementAndGet() == 2) {
            FileChange now = change.getAndSet(null);
            if (now != null) {
              now.run();
            }
          }
          try {
            return method.invoke(store, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /** The primary's newest backup, of an archive that differs from the one before by {@code replyWhenBusy}. */
  private Backup newestWith(FakePihole main, PiholeInstance primary, String replyWhenBusy) throws IOException {
    main.archive(TestArchives.withSetting(main.currentArchive(), "replyWhenBusy", replyWhenBusy));
    Backup newest = backups.runBackup(primary.id(), Backup.Trigger.SCHEDULED);
    assertThat(newest.successful()).as(newest.errorMessage()).isTrue();
    assertThat(newest.suspicious()).isFalse();
    return newest;
  }

  private static void flipAByte(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= (byte) 0xff;
    Files.write(file, bytes);
  }

  /**
   * Outsider 49 F1: after a restore of the primary its newest backup is the safety backup taken before it — what the restore
   * replaced. A preview looks at the primary itself, and a run backs the primary up first and syncs what it now holds.
   */
  @Test
  void aPrimaryRestoredSinceItsNewestBackupIsBackedUpFirstAndThePreviewLooksAtThePrimaryItself() throws Exception {
    FakePihole main = primary();
    FakePihole replica = replica();
    SyncService sync = service(List.of(group(RestoreMode.LISTS_AND_DNS, false, Set.of(), "R")), Map.of("MAIN", main.url(), "R", replica.url()));
    PiholeInstance primary = instances.list().stream().filter(i -> i.envPrefix().equals("MAIN")).findFirst().orElseThrow();
    Backup beforeRestore = backups.runBackup(primary.id(), Backup.Trigger.SAFETY);
    main.archive(TestArchives.withAdlistChanged(main.currentArchive())); // what the restore sent
    restores.insert(new Restore(0, 1, primary.id(), RestoreMode.LISTS_AND_DNS, Restore.State.VERIFIED, beforeRestore.id(), "restored",
        List.of(), List.of(), beforeRestore.startedAt(), beforeRestore.finishedAt()));

    long exportsBefore = exports(main);
    Map<String, ReplicaPlan> preview = sync.preview("home");
    long previewExports = exports(main) - exportsBefore;
    List<SyncRun> done = sync.run("home");

    assertThat(preview.values()).singleElement().satisfies(plan -> assertThat(plan.skipped()).isNull());
    assertThat(previewExports).as("the preview exported the primary itself").isEqualTo(1);
    assertThat(done).singleElement().satisfies(run -> {
      assertThat(run.outcome()).as(run.message()).isEqualTo(SyncRun.Outcome.SYNCED);
      assertThat(run.sourceBackupId()).as("a backup taken after the restore").isGreaterThan(beforeRestore.id());
    });
    assertThat(listsBetween(main, replica).values()).allMatch(c -> c.addedTotal() + c.removedTotal() + c.changedTotal() == 0);
  }

  /**
   * A primary backup without gravity.db would empty every replica's lists (restore refuses it with 422): a primary with no
   * backup, backed up now for the run, is held when that backup holds none, and its preview says so; nothing is sent.
   */
  @Test
  void aPrimaryBackupWithoutGravityDbHoldsEveryReplicaAndAPreviewSaysSo() throws Exception {
    FakePihole main = primary();
    main.archive(TestArchives.withoutGravity(main.currentArchive()));
    FakePihole replica = replica();
    SyncService sync = service(List.of(group(RestoreMode.LISTS_AND_DNS, false, Set.of(), "R")), Map.of("MAIN", main.url(), "R", replica.url()));

    List<SyncRun> done = sync.run("home");
    Map<String, ReplicaPlan> preview = sync.preview("home");

    assertThat(done).singleElement().satisfies(run -> {
      assertThat(run.outcome()).isEqualTo(SyncRun.Outcome.FAILED);
      assertThat(run.code()).isEqualTo("primary_suspicious");
      assertThat(run.message()).startsWith("held: nothing was sent").contains("holds no gravity.db").contains("Back the primary up again");
    });
    assertThat(preview.values()).singleElement().satisfies(plan -> assertThat(plan.skipped()).contains("holds no gravity.db"));
    assertThat(replica.requests()).as("the replica is not contacted").isEmpty();
  }

  /**
   * Outsider 46 F4: a replica that ends the session at its restart after the import is logged in to again, as a restore's
   * target is, and gets its local DNS too: not left half-synced under a "wrong_password" that blamed a right password.
   */
  @Test
  void aReplicaThatEndsTheSessionAtItsRestartIsLoggedInToAgainAndGetsEverything() throws Exception {
    FakePihole main = primary();
    byte[] archive = TestArchives.withSetting(Fixtures.archiveA(), "interface", "eth0");
    FakePihole replica = fake(FakePihole.builder().password("labpass").archive(archive).sessionsEndAtRestart());
    SyncService sync = service(List.of(group(RestoreMode.LISTS_AND_DNS, false, Set.of(), "R")), Map.of("MAIN", main.url(), "R", replica.url()));

    List<SyncRun> done = sync.run("home");

    assertThat(done).singleElement().satisfies(run -> assertThat(run.outcome()).as(run.message()).isEqualTo(SyncRun.Outcome.SYNCED));
    assertThat(replica.restarts()).isEqualTo(1);
    assertThat(listsBetween(main, replica).values()).allMatch(c -> c.addedTotal() + c.removedTotal() + c.changedTotal() == 0);
    assertThat(dnsRecords(replica)).isEqualTo(dnsRecords(main));
    List<String> requests = replica.requests();
    int imported = requests.indexOf(requests.stream().filter(r -> r.startsWith("POST /api/teleporter")).findFirst().orElseThrow());
    assertThat(requests.subList(imported, requests.size())).as("a new login after the restart, then the local DNS").anySatisfy(r -> assertThat(r).startsWith("POST /api/auth"));
  }

  /** A good backup of the primary MAIN, then one after its adlists were removed (a clean-up, or a wipe): that one, suspicious. */
  private Backup cleanedUp(FakePihole main) {
    PiholeInstance primary = instances.list().stream().filter(i -> i.envPrefix().equals("MAIN")).findFirst().orElseThrow();
    backups.runBackup(primary.id(), Backup.Trigger.SCHEDULED);
    main.archive(TestArchives.withoutAdlists(main.currentArchive()));
    return backups.runBackup(primary.id(), Backup.Trigger.SCHEDULED);
  }

  /**
   * Outsider 46 F4, the rest: a replica that no longer knows the session when the import arrives (ended between the look at it
   * and the import) answers 401 and applies nothing; the sync logs in again and sends it once more, as a restore does — not a
   * "wrong_password" failure that blamed a right password.
   */
  @Test
  void anImportTheReplicaAnswersWith401IsSentAgainAfterANewLogin() throws Exception {
    FakePihole main = primary();
    FakePihole replica = replica();
    SyncGroup never = new SyncGroup("HOME", "MAIN", List.of("R"), RestoreMode.LISTS_AND_DNS, Set.of(), false, null, SyncGroup.Snapshot.NEVER);
    SyncService sync = service(List.of(never), Map.of("MAIN", main.url(), "R", replica.url()));
    FakePihole.Hold looking = replica.holdExports();

    CompletableFuture<List<SyncRun>> running = CompletableFuture.supplyAsync(() -> sync.run("home"));
    assertThat(looking.awaitStarted()).as("the run looks at the replica, its session checked").isTrue();
    replica.endSessions();
    looking.release();

    assertThat(running.get()).singleElement().satisfies(run -> assertThat(run.outcome()).as(run.message()).isEqualTo(SyncRun.Outcome.SYNCED));
    assertThat(replica.requests().stream().filter(r -> r.startsWith("POST /api/teleporter")).count()).as("sent again").isEqualTo(2);
    assertThat(listsBetween(main, replica).values()).allMatch(c -> c.addedTotal() + c.removedTotal() + c.changedTotal() == 0);
    assertThat(dnsRecords(replica)).isEqualTo(dnsRecords(main));
  }

  /** The clean-up was meant: once its backup is accepted, the held group syncs the replicas to it at its next run. */
  @Test
  void aHeldSyncRunsWithTheAcceptedBackupAtItsNextRun() throws Exception {
    FakePihole main = primary();
    FakePihole replica = replica();
    SyncService sync = service(List.of(group(RestoreMode.LISTS_AND_DNS, false, Set.of(), "R")), Map.of("MAIN", main.url(), "R", replica.url()));
    Backup cleaned = cleanedUp(main);
    assertThat(cleaned.suspicious()).isTrue();
    assertThat(sync.run("home")).singleElement().satisfies(run -> {
      assertThat(run.code()).isEqualTo("primary_suspicious");
      assertThat(run.message()).contains("accept backup " + cleaned.id() + " (POST /api/v1/backups/" + cleaned.id() + "/accept, or \"Accept this change\" in the primary's history)");
    });

    backups.accept(cleaned.id(), true);
    List<SyncRun> done = sync.run("home");

    assertThat(done).singleElement().satisfies(run -> {
      assertThat(run.code()).isNotEqualTo("primary_suspicious");
      assertThat(run.sourceBackupId()).isEqualTo(cleaned.id());
      assertThat(run.outcome()).isIn(SyncRun.Outcome.SYNCED, SyncRun.Outcome.IN_SYNC, SyncRun.Outcome.PARTIAL);
    });
    assertThat(replica.requests()).as("the replica is contacted now").isNotEmpty();
  }

  /** An accept taken back: the backup is suspicious again, and the group is held again, nothing sent. */
  @Test
  void aSyncIsHeldAgainOnceTheAcceptIsTakenBack() throws Exception {
    FakePihole main = primary();
    FakePihole replica = replica();
    SyncService sync = service(List.of(group(RestoreMode.LISTS_AND_DNS, false, Set.of(), "R")), Map.of("MAIN", main.url(), "R", replica.url()));
    Backup cleaned = cleanedUp(main);
    backups.accept(cleaned.id(), true);

    Backup undone = backups.accept(cleaned.id(), false);
    List<SyncRun> done = sync.run("home");

    assertThat(undone.suspicious()).isTrue();
    assertThat(undone.accepted()).isFalse();
    assertThat(done).singleElement().satisfies(run -> assertThat(run.code()).isEqualTo("primary_suspicious"));
    assertThat(replica.requests()).as("the replica is not contacted").isEmpty();
    assertThatThrownBy(() -> backups.accept(cleaned.id(), false)).isInstanceOf(BackupConflictException.class).hasMessageContaining("was not accepted");
  }

  @Test
  void aSwitchedOffReplicaIsSkippedUntouchedAndSaysSoWhileTheOthersSync() throws Exception {
    FakePihole main = primary();
    FakePihole off = replica();
    FakePihole on = replica();
    SyncService sync = service(List.of(group(RestoreMode.LISTS_AND_DNS, false, Set.of(), "OFF", "ON")),
        Map.of("MAIN", main.url(), "OFF", off.url(), "ON", on.url()), Set.of("OFF"));

    List<SyncRun> done = sync.run("home");
    Map<String, ReplicaPlan> preview = sync.preview("home");

    assertThat(done).extracting(SyncRun::outcome).containsExactly(SyncRun.Outcome.SKIPPED, SyncRun.Outcome.SYNCED);
    assertThat(done.get(0).code()).isEqualTo("switched_off");
    assertThat(done.get(0).message()).contains("'Pi-hole OFF' is switched off (PIHOLE_OFF_ACTIVE=false)").contains("not contacted");
    assertThat(runs.findByGroup("home", null, 10)).extracting(SyncRun::outcome).contains(SyncRun.Outcome.SKIPPED);
    assertThat(preview.get("Pi-hole OFF").skipped()).contains("switched off");
    assertThat(preview.get("Pi-hole ON").skipped()).isNull();
    assertThat(off.requests()).as("neither the run nor the preview contacted it").isEmpty();
    assertThat(catalog.history(done.get(0).replicaId(), new io.piholecheckpoint.core.backup.catalog.BackupRepository.Page(null, null, null, 10)))
        .as("no safety backup of it either").isEmpty();
  }

  @Test
  void aSwitchedOffPrimaryLeavesEveryReplicaAloneAndIsNotBackedUp() throws Exception {
    FakePihole main = primary();
    FakePihole replica = replica();
    SyncService sync = service(List.of(group(RestoreMode.LISTS_AND_DNS, false, Set.of(), "R")), Map.of("MAIN", main.url(), "R", replica.url()),
        Set.of("MAIN"));

    List<SyncRun> done = sync.run("home");

    assertThat(done).singleElement().satisfies(run -> {
      assertThat(run.outcome()).isEqualTo(SyncRun.Outcome.SKIPPED);
      assertThat(run.message()).contains("the primary 'Pi-hole MAIN' is switched off");
    });
    assertThat(main.requests()).isEmpty();
    assertThat(replica.requests()).isEmpty();
  }

  @Test
  void excludingATableExcludesItsLocalDnsRecordsAndCnamesTooInAnyCase() throws Exception {
    FakePihole main = primary();
    FakePihole dns = replica();
    FakePihole cnames = replica();
    addRecord(dns, "10.0.0.5 only-replica.lan");
    List<String> before = dnsRecords(dns);
    int setUp = writes(dns).size();
    SyncService sync = service(List.of(new SyncGroup("DNS", "MAIN", List.of("D"), RestoreMode.LISTS_AND_DNS, Set.of("dns"), false, null,
        SyncGroup.Snapshot.NEVER), new SyncGroup("CNAME", "OTHER", List.of("C"), RestoreMode.LISTS_AND_DNS, Set.of("DNS.CNAMERECORDS"), false, null,
        SyncGroup.Snapshot.NEVER)), Map.of("MAIN", main.url(), "OTHER", main.url(), "D", dns.url(), "C", cnames.url()));

    SyncRun run = sync.run("dns").get(0);
    sync.run("cname");

    assertThat(run.outcome()).as(run.message()).isEqualTo(SyncRun.Outcome.SYNCED);
    assertThat(listsBetween(main, dns).get(ListCategory.DOMAINS).addedTotal()).as("the lists were synced").isZero();
    assertThat(dnsRecords(dns)).as("but not its local DNS").containsExactlyInAnyOrderElementsOf(before);
    assertThat(run.changes()).doesNotContain("local DNS");
    assertThat(dnsRecords(cnames)).as("excluding the CNAMEs leaves the records synced").containsExactlyInAnyOrderElementsOf(dnsRecords(main));
    assertThat(writes(dns).subList(setUp, writes(dns).size())).as("nothing but the lists' import").containsExactly("POST /api/teleporter");
  }

  @Test
  void aBackupAskedForWhileAReplicaSyncsIsRefusedSayingASyncRunsNotARestore() throws Exception {
    FakePihole main = primary();
    FakePihole replica = replica();
    SyncService sync = service(List.of(group(RestoreMode.LISTS, false, Set.of(), "R")), Map.of("MAIN", main.url(), "R", replica.url()));
    long replicaId = instances.list().stream().filter(i -> i.envPrefix().equals("R")).findFirst().orElseThrow().id();
    FakePihole.Hold hold = replica.holdImports();
    CompletableFuture<List<SyncRun>> running = CompletableFuture.supplyAsync(() -> sync.run("home"));
    assertThat(hold.awaitStarted()).isTrue();

    assertThatThrownBy(() -> backups.runBackup(replicaId, Backup.Trigger.MANUAL)).isInstanceOf(BackupConflictException.class)
        .hasMessage("a sync of 'Pi-hole R' (group home) is running; back it up when it has finished");
    assertThat(backups.heldBy(replicaId)).hasValue("a sync of 'Pi-hole R' (group home)");

    hold.release();
    assertThat(running.get().get(0).outcome()).isEqualTo(SyncRun.Outcome.SYNCED);
    assertThat(backups.heldBy(replicaId)).isEmpty();
  }
}
