package io.piholecheckpoint.core.registry;

import io.piholecheckpoint.scheduling.AppJobs;
import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.schedule.FireTimes;
import io.piholecheckpoint.core.secrets.SecretBox;
import io.piholecheckpoint.core.settings.InstanceForm;
import io.piholecheckpoint.core.settings.ValidationException;
import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.MyBatisInstanceRepository;
import io.piholecheckpoint.scheduling.QuartzFireTimes;
import io.piholecheckpoint.scheduling.TestSchedules;
import io.piholecheckpoint.testing.MemoryTempDir;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.TestInstances;
import io.piholecheckpoint.testing.TestServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Histogram;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * The validator's promise, on a real SQLite file and the real Quartz scheduler: any input is
 * either refused (and nothing is stored) or it stores, reloads after a simulated restart and
 * schedules with a next fire time. Nothing in between can brick the app.
 */
class ValidatedInstancesScheduleTest {
  private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
  private final Clock clock = Clock.systemUTC();
  private final FireTimes fireTimes = new QuartzFireTimes(ZONE, clock);
  private final SecretBox box = new SecretBox(new byte[32]);
  private Path dir;
  private Database database;
  private Database restartedDatabase;
  private MyBatisInstanceRepository repository;
  private InstanceService service;
  private TestSchedules schedules;

  @BeforeProperty
  void start() throws IOException {
    // in memory and a copy of the migrated template, as the other database tests: each stored try's commit synced to /tmp's
    // disk, and so did the migration's few dozen (the property 33 -> 27 s at load 35-40, bench/RESULTS.md, r46-suiteunit)
    dir = MemoryTempDir.create("checkpoint-properties-");
    database = MigratedDatabase.openAt(dir.resolve("checkpoint.db"));
    restartedDatabase = Database.open(dir.resolve("checkpoint.db"));
    repository = new MyBatisInstanceRepository(database, clock);
    service = new InstanceService(repository, box, fireTimes, TestInstances.NO_SECRET_FILES);
    TestServices jobs = new TestServices(dir.resolve("backups"), clock);
    schedules = TestSchedules.start(new AppJobs(jobs.backups.runs(), jobs.tickets, jobs.maintenance), dir.resolve("scheduler.lock"), ZONE, clock,
        Duration.ofSeconds(5), s -> { });
  }

  @AfterProperty
  void stop() throws IOException {
    schedules.close();
    restartedDatabase.close();
    database.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.MIXIN)
  @StatisticsReport(format = Histogram.class)
  void anyInputIsRefusedOrStoresReloadsAndSchedules(@ForAll("forms") InstanceForm form) {
    int before = repository.findAll().size();
    PiholeInstance created;
    try {
      created = service.create(form);
    } catch (ValidationException e) {
      assertThat(e.fieldErrors()).isNotEmpty();
      assertThat(repository.findAll()).hasSize(before);
      Statistics.label("outcome").collect("refused");
      e.fieldErrors().keySet().forEach(field -> Statistics.label("refused field").collect(field));
      return;
    }
    Statistics.label("outcome").collect(form.scheduleKind().equalsIgnoreCase("cron") ? "stored cron" : "stored");

    InstanceService restarted = new InstanceService(new MyBatisInstanceRepository(restartedDatabase, clock), box, fireTimes,
        TestInstances.NO_SECRET_FILES);
    restarted.recheck();
    PiholeInstance reloaded = restarted.find(created.id());
    List<String> refused = new ArrayList<>();
    schedules.reportUnschedulableTo((instance, problem) -> refused.add(problem));
    Instant rescheduled = Instant.now();
    schedules.reschedule(List.of(reloaded));

    assertThat(reloaded.problem()).isNull();
    assertThat(List.of(reloaded.name(), reloaded.url(), reloaded.tls(), reloaded.schedule(), reloaded.retention()))
        .isEqualTo(List.of(created.name(), created.url(), created.tls(), created.schedule(), created.retention()));
    assertThat(reloaded.scheduled()).isEqualTo(form.active());
    assertThat(refused).isEmpty();
    if (reloaded.scheduled()) {
      // a trigger starts at its schedule's first time from the reschedule on (a cron one the whole second before); once
      // fired, its next time is later still. Not measured from the moment of the assertion: a loaded machine's Quartz may
      // not yet have fired an every-second cron that is due
      assertThat(schedules.nextRun(reloaded.id())).hasValueSatisfying(next -> assertThat(next).isAfterOrEqualTo(rescheduled.minusSeconds(1)));
    }
  }

  /** Runs after each property: a generator that only ever produced refusals would prove nothing. */
  @AfterProperty
  void checkCoverage() {
    Statistics.label("outcome").coverage(c -> {
      c.check("stored").percentage(p -> p > 3);
      c.check("stored cron").count(n -> n > 3);
      c.check("refused").percentage(p -> p > 20);
    });
  }

  private record Who(String name, String url, String password, String totp, String tlsMode, String caPem, String fingerprint,
                     String timeout) {
  }

  private record When(String kind, String time, String day, String cron, String maxBackups, String maxAgeDays, String keepDaily,
                      String keepWeekly) {
  }

  @Provide
  Arbitrary<InstanceForm> forms() {
    Arbitrary<String> count = mostly(19, Arbitraries.of("0", "1", "10", "100000", " 5 "), Arbitraries.of("-1", "100001", "x", "", "2147483648"));
    Arbitrary<Who> who = Combinators.combine(names(), urls(), Arbitraries.of("", "pw").injectNull(0.3),
        mostly(9, Arbitraries.of("", "JBSWY3DPEHPK3PXP", "jbsw-y3dp ehpk").injectNull(0.5), Arbitraries.of("not base32!")),
        mostly(9, Arbitraries.of("system", "insecure", "fingerprint", "", "SYSTEM"), Arbitraries.of("ca", "x")),
        Arbitraries.of("", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", "garbage"),
        mostly(9, Arbitraries.of("ab".repeat(32), "AB:".repeat(31) + "AB", "SHA256:" + "0f".repeat(32)), Arbitraries.of("", "zz")),
        mostly(9, Arbitraries.of("", "1", "3600"), Arbitraries.of("0", "3601", "x"))).as(Who::new);
    Arbitrary<When> when = Combinators.combine(
        mostly(9, Arbitraries.of("hourly", "daily", "weekly", "cron", "CRON", "cron", "cron"), Arbitraries.of("", "monthly")),
        mostly(9, Arbitraries.of("03:00", "00:00", "23:59", "7:05", "02:30"), Arbitraries.of("24:00", "3:5", "", "12:60")),
        mostly(9, Arbitraries.of("sunday", "MONDAY"), Arbitraries.of("mon", "", "funday")), crons(), count, count, count, count)
        .as(When::new);
    return Combinators.combine(who, when, count, Arbitraries.of(true, false), Arbitraries.of(true, false))
        .as((w, s, keepMonthly, skip, active) -> new InstanceForm(w.name(), w.url(), w.password(), w.totp(), w.tlsMode(), w.caPem(),
            w.fingerprint(), w.timeout(), s.kind(), s.time(), s.day(), s.cron(), s.maxBackups(), s.maxAgeDays(), s.keepDaily(),
            s.keepWeekly(), keepMonthly, skip, active));
  }

  /** Mostly plausible values, so that many inputs get past every field and reach the database and Quartz. */
  private static Arbitrary<String> mostly(int weight, Arbitrary<String> plausible, Arbitrary<String> hostile) {
    return Arbitraries.frequencyOf(Tuple.of(weight, plausible), Tuple.of(1, hostile));
  }

  private static Arbitrary<String> names() {
    Arbitrary<String> plausible = Arbitraries.strings().alpha().numeric().withChars(" -()ü家").ofMinLength(1).ofMaxLength(62);
    return mostly(9, plausible, Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(70), Arbitraries.of("A\r\nB", "", "  ", "\u202Eevil")));
  }

  private static Arbitrary<String> urls() {
    Arbitrary<String> host = mostly(12, Arbitraries.of("pi.hole", "192.168.1.2", "10.0.0.2", "localhost", "[fd00::1]", "[::1]", "127.0.0.1"),
        Arbitraries.oneOf(Arbitraries.of("169.254.169.254", "0.0.0.0", "[fe80::1]", "[::1", "2852039166", "0x7f000001", "pi_hole", "-x.lan",
            "a..b", "256.1.1.1", "224.0.0.1", "[::]", "127.1", "[::ffff:169.254.0.1]"),
            Arbitraries.strings().withCharRange('a', 'z').withChars(".-0123456789:[]%").ofMinLength(1).ofMaxLength(20)));
    Arbitrary<String> built = Combinators.combine(mostly(19, Arbitraries.of("http://", "https://", "HTTPS://"), Arbitraries.of("ftp://", "")),
        mostly(19, Arbitraries.just(""), Arbitraries.of("u:p@", "@", "user@")), host,
        mostly(12, Arbitraries.of("", ":80", ":65535", ":8080"), Arbitraries.of(":0", ":65536", ":99999", ":", ":x")),
        mostly(12, Arbitraries.of("", "/", "/admin", "/pi%20hole"), Arbitraries.of("/a b", "?x=1", "#f", "//")))
        .as((s, u, h, p, path) -> s + u + h + p + path);
    return mostly(19, built, Arbitraries.strings().ofMaxLength(40));
  }

  private static Arbitrary<String> crons() {
    Arbitrary<String> second = Arbitraries.of("0", "*", "0/15", "61", "59");
    Arbitrary<String> hour = Arbitraries.of("0", "*", "2", "24", "1-5", "23");
    Arbitrary<String> dayOfMonth = Arbitraries.of("*", "?", "1", "29", "30", "31", "L", "LW", "15W", "L-3", "32", "L-40");
    Arbitrary<String> month = Arbitraries.of("*", "2", "FEB", "4", "13", "1,3", "JAN-MAR");
    Arbitrary<String> dayOfWeek = Arbitraries.of("?", "*", "MON", "6#3", "6#5", "6#6", "6L", "8", "MON-FRI");
    Arbitrary<String> year = Arbitraries.of("", "", " 2000", " 2030", " 2999", " 1970-2099", " 99999", " *");
    Arbitrary<String> built = Combinators.combine(second, second, hour, dayOfMonth, month, dayOfWeek, year)
        .as((s, m, h, dom, mon, dow, y) -> s + " " + m + " " + h + " " + dom + " " + mon + " " + dow + y);
    Arbitrary<String> firing = Arbitraries.of("0 30 2 * * ?", "0 0 0 L * ?", "0 0 12 ? * 6#3", "0 0/15 * * * ?", "0 0 0 1 1 ? 2030-2099",
        "0 0 0 29 2 ?", "0 0 0 LW * ?");
    return mostly(1, firing, Arbitraries.frequencyOf(Tuple.of(9, built), Tuple.of(1, Arbitraries.strings().withChars("0123456789*?/ LW#-,").ofMaxLength(25))));
  }
}
