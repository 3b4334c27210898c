package io.piholecheckpoint;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.constructors;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.piholecheckpoint.app.SettingsReaderRules;
import io.piholecheckpoint.testing.ProductionClasses;
import io.piholecheckpoint.web.WebArchitectureRules;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Timer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Supplier;

@AnalyzeClasses(locations = ProductionClasses.class, importOptions = ImportOption.DoNotIncludeTests.class)
class CoreArchitectureTest {

  // The web and settings rules run from here, beside the core's: ArchUnit imports our classes once per test class set, so
  // three classes of rules run in both unit JVMs imported them twice per phase (~2 s of a quiet phase, 13-17 s at load 15).
  @ArchTest
  static final ArchTests web = ArchTests.in(WebArchitectureRules.class);

  @ArchTest
  static final ArchTests settings = ArchTests.in(SettingsReaderRules.class);

  /** Every package of ours outside the core: the core depends on none of them. */
  private static final String[] ADAPTERS = {"io.piholecheckpoint.web..", "io.piholecheckpoint.persistence..",
      "io.piholecheckpoint.pihole..", "io.piholecheckpoint.scheduling..", "io.piholecheckpoint.app..",
      "io.piholecheckpoint.launcher..", "io.piholecheckpoint.notify..", "io.piholecheckpoint.metrics..",
      "io.piholecheckpoint.teleporter..", "io.piholecheckpoint.crypto..", "io.piholecheckpoint.storage..", "io.piholecheckpoint.offsite.."};

  @ArchTest
  static final ArchRule coreKnowsNoFrameworks = noClasses().that().resideInAPackage("io.piholecheckpoint.core..")
      .should().dependOnClassesThat().resideInAnyPackage("jakarta.servlet..", "org.eclipse.jetty..", "freemarker..",
          "org.quartz..", "org.apache.ibatis..", "com.fasterxml.jackson..")
      .because("the core is plain Java; adapters depend on it, never the other way round");

  @ArchTest
  static final ArchRule coreDependsOnNoAdapter = noClasses().that().resideInAPackage("io.piholecheckpoint.core..")
      .should().dependOnClassesThat().resideInAnyPackage(ADAPTERS);

  /** Each package a slice of its own, a sub-package too (offsite.copy beside offsite): no cycle between any two. */
  @ArchTest
  static final ArchRule coreFeaturesFormNoCycle = slices().matching("io.piholecheckpoint.core.(**)")
      .should().beFreeOfCycles()
      .because("a core feature may use another one way only, so each can be read and changed on its own");

  @ArchTest
  static final ArchRule webDependsOnTheCoreOnly = noClasses().that().resideInAPackage("io.piholecheckpoint.web..")
      .should().dependOnClassesThat().resideInAnyPackage("io.piholecheckpoint.persistence..",
          "io.piholecheckpoint.pihole..", "io.piholecheckpoint.scheduling..", "io.piholecheckpoint.app..",
          "io.piholecheckpoint.launcher..", "io.piholecheckpoint.notify..", "io.piholecheckpoint.metrics..",
          "io.piholecheckpoint.teleporter..", "io.piholecheckpoint.crypto..", "io.piholecheckpoint.storage..", "io.piholecheckpoint.offsite..")
      .because("pages and API call core use cases; app, the composition root, is the one package that sees all");

  @ArchTest
  static final ArchRule onlyTheLauncherKnowsJetty = noClasses().that().resideOutsideOfPackage("io.piholecheckpoint.launcher..")
      .should().dependOnClassesThat().resideInAPackage("org.eclipse.jetty..")
      .because("the WAR must deploy into any servlet container");

  @ArchTest
  static final ArchRule onlyTheSftpAdapterKnowsMinaSshd = noClasses().that().resideOutsideOfPackage("io.piholecheckpoint.offsite.sftp..")
      .should().dependOnClassesThat().resideInAPackage("org.apache.sshd..")
      .because("no class of the SSH client may load unless an sftp:// destination is configured: the app reaches it only by building an SftpDestination for that scheme");

  /**
   * Periodic and one-off work is a Quartz job (issue 14): a thread, pool or timer of its own is made only by the composition
   * root and the launcher, and by the few classes named here, each for work no Quartz job can do: Database and AppPassword
   * one start-up task each beside the start, Transport's watchdog of a stalled download (seconds, per request),
   * BoundedChecks' copy checks side by side within one call, ManualRuns' backups on the cluster node they were asked on (a
   * trigger in the shared store fires on any node), OnDemandWorkers' threads, which are Quartz's own workers.
   */
  @ArchTest
  static final ArchRule noThreadOutsideQuartz = noClasses().that().resideOutsideOfPackages("io.piholecheckpoint.app..", "io.piholecheckpoint.launcher..")
      .and().doNotHaveFullyQualifiedName("io.piholecheckpoint.persistence.Database")
      .and().doNotHaveFullyQualifiedName("io.piholecheckpoint.core.access.AppPassword")
      .and().doNotHaveFullyQualifiedName("io.piholecheckpoint.pihole.Transport")
      .and().doNotHaveFullyQualifiedName("io.piholecheckpoint.core.recovery.copies.BoundedChecks")
      .and().doNotHaveFullyQualifiedName("io.piholecheckpoint.scheduling.ManualRuns")
      .and().doNotHaveFullyQualifiedName("io.piholecheckpoint.scheduling.OnDemandWorkers")
      .should().callConstructorWhere(target(owner(assignableTo(Thread.class))))
      .orShould().dependOnClassesThat().belongToAnyOf(Executors.class, Timer.class, ThreadPoolExecutor.class, ScheduledThreadPoolExecutor.class,
          ForkJoinPool.class)
      .orShould().callMethod(CompletableFuture.class, "runAsync", Runnable.class)
      .orShould().callMethod(CompletableFuture.class, "supplyAsync", Supplier.class)
      .because("periodic and one-off work is a Quartz job, so that it stops with the scheduler and runs once in a cluster");

  /**
   * The time is the composition root's {@link Clock} (issue 14: no second clock), so a test that moves it moves every reader of
   * the time. Elapsed time is {@code System.nanoTime}. Allowed, each for a time that is not the app's: ClusterJobStore, where
   * Quartz's own store times its check-ins in {@code System.currentTimeMillis}; SchedulerLock's line for a person reading the
   * lock file; ListIndexes and DiffCaches, which mark a kept file used in the file system's time, ordered only against other
   * files' times.
   */
  @ArchTest
  static final ArchRule timeComesFromTheRootsClock = noClasses().that().resideOutsideOfPackages("io.piholecheckpoint.app..", "io.piholecheckpoint.launcher..")
      .and().doNotHaveFullyQualifiedName("io.piholecheckpoint.scheduling.ClusterJobStore")
      .and().doNotHaveFullyQualifiedName("io.piholecheckpoint.scheduling.SchedulerLock")
      .and().doNotHaveFullyQualifiedName("io.piholecheckpoint.teleporter.ListIndexes")
      .and().doNotHaveFullyQualifiedName("io.piholecheckpoint.teleporter.DiffCaches")
      .should().callMethod(Clock.class, "systemUTC")
      .orShould().callMethod(Clock.class, "systemDefaultZone")
      .orShould().callMethod(Instant.class, "now")
      .orShould().callMethod(LocalDateTime.class, "now")
      .orShould().callMethod(LocalDate.class, "now")
      .orShould().callMethod(ZonedDateTime.class, "now")
      .orShould().callMethod(OffsetDateTime.class, "now")
      .orShould().callMethod(ZoneId.class, "systemDefault")
      .orShould().callMethod(System.class, "currentTimeMillis")
      .because("the time is read from the one clock the composition root passes in (a test moves it), not a second one");

  /**
   * A core object is whole once constructed: what it uses comes through its constructor, which the composition root calls.
   * A setter, or a {@code launchWith}/{@code wire}/{@code observe}/{@code install} that hands it a collaborator later, is a
   * second phase of wiring whose order nobody can read (the ports the core declares, interfaces, are not meant: a
   * repository's {@code setPaused} is a write).
   */
  @ArchTest
  static final ArchRule coreObjectsAreWiredOnlyThroughTheirConstructors = noMethods().that()
      .areDeclaredInClassesThat().resideInAPackage("io.piholecheckpoint.core..")
      .and().areDeclaredInClassesThat().areNotInterfaces()
      .and().haveNameMatching("set[A-Z].*|wire.*|observe.*|install.*|launchWith")
      .should().bePublic()
      .because("each constructor says what its class uses; nothing is wired after construction outside app.Application")
      .allowEmptyShould(true); // none such is the state it keeps

  /** Most collaborators a core constructor takes: STYLE.md's "more than 5 means split", with the room round 47's split left. */
  private static final int MOST_COLLABORATORS = 7;

  /**
   * Each constructor says what its class uses (issue 14, items 3 and 5): a core class that takes more than {@value
   * #MOST_COLLABORATORS} does several things, and is split by what its callers use, as BackupService, SyncService,
   * AdoptionService, OffsiteService and RestoreRunner were. Records are values, not collaborators; no class is excepted.
   */
  @ArchTest
  static final ArchRule coreConstructorsTakeFewCollaborators = constructors().that()
      .areDeclaredInClassesThat().resideInAPackage("io.piholecheckpoint.core..")
      .and().areDeclaredInClassesThat(DescribedPredicate.not(DescribedPredicate.describe("records",
          (JavaClass c) -> c.getRawSuperclass().map(s -> s.isEquivalentTo(Record.class)).orElse(false))))
      .should(new ArchCondition<JavaConstructor>("take at most " + MOST_COLLABORATORS + " parameters") {
        @Override
        public void check(JavaConstructor constructor, ConditionEvents events) {
          int taken = constructor.getRawParameterTypes().size();
          if (taken > MOST_COLLABORATORS) {
            events.add(SimpleConditionEvent.violated(constructor, constructor.getFullName() + " takes " + taken));
          }
        }
      })
      .because("a class that takes more does several things; split it by what its callers use");
}
