package io.piholecheckpoint.core.registry;

import static io.piholecheckpoint.testing.TestInstances.aDefinition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.InstanceRepository;
import io.piholecheckpoint.core.instance.Origin;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.core.secrets.Credentials;
import io.piholecheckpoint.core.secrets.InstanceCredentials;
import io.piholecheckpoint.core.secrets.SecretBox;
import io.piholecheckpoint.core.secrets.UnreadableSecrets;
import io.piholecheckpoint.core.settings.InstanceForm;
import io.piholecheckpoint.core.settings.ValidationException;
import io.piholecheckpoint.testing.InMemoryInstanceRepository;
import io.piholecheckpoint.testing.TestInstances;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InstanceServiceTest {
  private final InMemoryInstanceRepository repository = new InMemoryInstanceRepository();
  private final InstanceService service = TestInstances.service(repository);

  private static InstanceForm form(String name, String url) {
    InstanceForm b = InstanceForm.blank();
    return new InstanceForm(name, url, "labpass", "", b.tlsMode(), b.caPem(), b.fingerprint(), b.timeoutSeconds(), b.scheduleKind(),
        b.time(), b.day(), b.cron(), b.maxBackups(), b.maxAgeDays(), b.keepDaily(), b.keepWeekly(), b.keepMonthly(), false, true);
  }

  @Test
  void marksAnInstanceRemovedWhenItsVariablesDisappear() {
    service.applyEnvironment(List.of(aDefinition("HOME", "http://a"), aDefinition("OFFICE", "http://b")));

    service.applyEnvironment(List.of(aDefinition("HOME", "http://a")));

    assertThat(service.list()).extracting(PiholeInstance::envPrefix, PiholeInstance::removed)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("HOME", false), org.assertj.core.groups.Tuple.tuple("OFFICE", true));
    assertThat(service.list()).filteredOn(PiholeInstance::removed).allMatch(i -> !i.scheduled() && i.state().equals("removed"));
  }

  @Test
  void anInstanceWhoseSecretFileCannotBeReadIsMarkedAndUnscheduledAloneUntilItCanBe() {
    String[] unreadable = {"PIHOLE_HOME_PASSWORD_FILE=/run/secrets/home is a folder: name a regular file that holds the value"};
    UnreadableSecrets secrets = i -> "HOME".equals(i.envPrefix()) ? Optional.ofNullable(unreadable[0]) : Optional.empty();
    InstanceService checked = new InstanceService(repository, new SecretBox(new byte[32]), TestInstances.fireTimes(), secrets);
    checked.applyEnvironment(List.of(aDefinition("HOME", "http://a"), aDefinition("LAB", "http://b")));

    checked.recheck(); // as every start does after applying the environment

    PiholeInstance home = repository.findByEnvPrefix("HOME").map(i -> checked.find(i.id())).orElseThrow();
    assertThat(home.state()).isEqualTo("misconfigured");
    assertThat(home.scheduled()).isFalse();
    assertThat(home.message()).startsWith(unreadable[0]).contains("not backed up until the file is fixed", "no restart needed");
    assertThat(checked.list()).filteredOn(i -> i.envPrefix().equals("LAB")).singleElement().satisfies(lab -> assertThat(lab.scheduled()).isTrue());

    unreadable[0] = null; // the file put right, and Checkpoint restarted
    checked.recheck();
    assertThat(checked.find(home.id()).scheduled()).isTrue();
  }

  /** Creating the file is enough: the next read of the instance (a page, the API, /health, a backup by hand) finds it. */
  @Test
  void aSecretFileFixedAfterTheStartClearsTheMarkAtTheNextLookWithoutARestart() {
    String[] unreadable = {"PIHOLE_HOME_PASSWORD_FILE=/run/secrets/home cannot be read (NoSuchFileException)"};
    int[] looks = {0};
    UnreadableSecrets secrets = i -> {
      looks[0]++;
      return "HOME".equals(i.envPrefix()) ? Optional.ofNullable(unreadable[0]) : Optional.empty();
    };
    InstanceService checked = new InstanceService(repository, new SecretBox(new byte[32]), TestInstances.fireTimes(), secrets);
    List<Long> planned = new java.util.ArrayList<>();
    checked.onChange(planned::add);
    checked.applyEnvironment(List.of(aDefinition("HOME", "http://a"), aDefinition("LAB", "http://b")));
    checked.recheck();
    long home = repository.findByEnvPrefix("HOME").orElseThrow().id();
    assertThat(checked.find(home).state()).isEqualTo("misconfigured");
    int before = looks[0];
    checked.list();
    assertThat(looks[0] - before).as("a read looks at the marked instance's files alone").isEqualTo(1);
    assertThat(planned).as("still unreadable: nothing to plan").isEmpty();

    unreadable[0] = null; // the user creates the file; no restart, no change of the instances

    PiholeInstance fixed = checked.find(home);
    assertThat(fixed.state()).isNotEqualTo("misconfigured");
    assertThat(fixed.scheduled()).isTrue();
    assertThat(planned).as("planned once, as after a change").containsExactly(home);
    checked.list();
    assertThat(planned).containsExactly(home);
  }

  @Test
  void revivesARemovedInstanceWithItsIdWhenItsVariablesReturn() {
    service.applyEnvironment(List.of(aDefinition("OFFICE", "http://b")));
    long id = service.list().get(0).id();
    service.applyEnvironment(List.of());

    service.applyEnvironment(List.of(aDefinition("OFFICE", "http://c")));

    PiholeInstance office = service.find(id);
    assertThat(office.removed()).isFalse();
    assertThat(office.url()).isEqualTo("http://c");
  }

  @Test
  void anInstanceRecreatedFromAnOffsiteManifestIsStoredWithItsNameComposed() {
    PiholeInstance made = service.recreate("Cafe\u0301", "http://10.0.0.9", "NAS", "cafe");

    assertThat(made.name()).isEqualTo("Caf\u00e9");
    assertThatThrownBy(() -> service.create(form("Caf\u00e9", "http://10.0.0.8"))).isInstanceOf(InstanceNameTakenException.class);
  }

  @Test
  void listsInstancesInNaturalOrder() {
    for (String name : new String[] {"B10", "b2", "B1", "Garage 3", "Garage 20"}) {
      service.create(form(name, "https://10.0.0.9/"));
    }

    assertThat(service.list().stream().map(PiholeInstance::name).filter(n -> n.startsWith("B") || n.startsWith("b") || n.startsWith("Garage")))
        .containsExactly("B1", "b2", "B10", "Garage 3", "Garage 20");
  }

  @Test
  void createsAnInstanceWithItsPasswordSealed() {
    PiholeInstance created = service.create(form("Garage", "https://10.0.0.9/"));

    assertThat(created.origin()).isEqualTo(Origin.UI);
    assertThat(created.url()).isEqualTo("https://10.0.0.9");
    InstanceRepository.SealedSecrets sealed = repository.findSecrets(created.id()).orElseThrow();
    assertThat(sealed.password()).startsWith("v1:").doesNotContain("labpass");
    Credentials credentials = new InstanceCredentials(null, repository, new SecretBox(new byte[32]));
    assertThat(credentials.passwordFor(created)).contains("labpass");
  }

  @Test
  void saysWhichFieldsAreInvalid() {
    InstanceForm bad = new InstanceForm("", "pi.hole", null, "not base32!", "fingerprint", "", "abc", "0", "weekly", "25:00", "someday",
        "", "-1", "x", "0", "0", "0", false, true);

    assertThatThrownBy(() -> service.create(bad)).isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors())
        .containsOnlyKeys("name", "url", "totpSecret", "fingerprint", "timeoutSeconds", "time", "day", "maxBackups", "maxAgeDays"));
  }

  /** Names are compared by a full case folding (InstanceNames.same): the add, the rename and the environment's give-way rule alike. */
  @Test
  void namesEqualUnderFullCaseFoldingAreTakenForAddsRenamesAndTheEnvironment() {
    service.create(form("Straße", "http://10.0.0.1"));
    PiholeInstance other = service.create(form("Other", "http://10.0.0.2"));

    assertThatThrownBy(() -> service.create(form("STRASSE", "http://10.0.0.3"))).isInstanceOf(InstanceNameTakenException.class);
    assertThatThrownBy(() -> service.update(other.id(), form("strasse", "http://10.0.0.2"))).isInstanceOf(InstanceNameTakenException.class);
    service.create(form("İnfo", "http://10.0.0.4"));
    assertThatThrownBy(() -> service.create(form("info", "http://10.0.0.5"))).isInstanceOf(InstanceNameTakenException.class);

    service.applyEnvironment(List.of(new InstanceDefinition("STREET", "STRASSE", "http://10.0.0.6", TlsTrust.SYSTEM, null, Schedule.DEFAULT,
        RetentionPolicy.DEFAULT, false, true)));

    assertThat(service.list()).as("the environment's instance gives way to the one added in the UI").noneMatch(i -> "STREET".equals(i.envPrefix())
        && !i.removed());
  }

  @Test
  void refusesANameAnEnvironmentInstanceHasAndSaysWhy() {
    service.applyEnvironment(List.of(aDefinition("HOME", "http://a")));

    assertThatThrownBy(() -> service.create(form("pi-hole home", "http://b")))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors().get("name")).contains("defined by the environment, PIHOLE_HOME_*"));
  }

  @Test
  void letsAnEnvironmentInstanceBePaused() {
    service.applyEnvironment(List.of(aDefinition("HOME", "http://a")));
    PiholeInstance home = service.list().get(0);

    PiholeInstance after = service.update(home.id(), InstanceForm.of(home).withActive(false));

    assertThat(after.url()).isEqualTo("http://a");
    assertThat(after.name()).isEqualTo(home.name());
    assertThat(after.scheduled()).isFalse();
    assertThat(after.state()).isEqualTo("inactive");
  }

  @Test
  void refusesToChangeAnEnvironmentInstancesSettingsAndNamesTheVariables() {
    service.applyEnvironment(List.of(aDefinition("HOME", "http://a")));
    PiholeInstance home = service.list().get(0);
    InstanceForm changed = form("Renamed", "http://elsewhere").withActive(false);

    assertThatThrownBy(() -> service.update(home.id(), changed))
        .isInstanceOf(InstanceConflictException.class)
        .hasMessageContaining("PIHOLE_HOME_NAME").hasMessageContaining("PIHOLE_HOME_URL").hasMessageContaining("PIHOLE_HOME_PASSWORD")
        .hasMessageNotContaining("PIHOLE_HOME_MAX_BACKUPS");
    assertThat(service.find(home.id())).isEqualTo(home);
  }

  @Test
  void refusesToDeleteAnInstanceTheEnvironmentStillDefines() {
    service.applyEnvironment(List.of(aDefinition("HOME", "http://a")));

    assertThatThrownBy(() -> service.delete(service.list().get(0).id(), true))
        .isInstanceOf(InstanceConflictException.class).hasMessageContaining("remove those variables");
  }

  @Test
  void keepsTheStoredPasswordWhenTheFormLeavesItEmpty() {
    PiholeInstance created = service.create(form("Garage", "https://10.0.0.9"));
    String sealed = repository.findSecrets(created.id()).orElseThrow().password();
    InstanceForm f = InstanceForm.of(created);

    service.update(created.id(), f);

    assertThat(repository.findSecrets(created.id()).orElseThrow().password()).isEqualTo(sealed);
  }

  /**
   * After FIELD_ENCRYPTION_KEY changed, the secret that cannot be read is the one named: entering the password again is not
   * enough while the TOTP secret is sealed with the old key, and a change that keeps it is refused rather than accepted with
   * every backup still failing.
   */
  @Test
  void aChangeThatKeepsASecretSealedWithAnotherKeyIsRefusedNamingThatSecret() {
    InstanceForm f = form("Sealed", "https://10.0.0.9");
    PiholeInstance created = service.create(secrets(f, "labpass", "JBSWY3DPEHPK3PXP"));
    byte[] otherKey = new byte[32];
    otherKey[0] = 1;
    SecretBox other = new SecretBox(otherKey);
    InstanceService restarted = new InstanceService(repository, other, TestInstances.fireTimes(), TestInstances.NO_SECRET_FILES);
    InstanceRepository.SealedSecrets before = repository.findSecrets(created.id()).orElseThrow();

    assertThatThrownBy(() -> restarted.update(created.id(), secrets(InstanceForm.of(created), "labpass", null)))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.fieldErrors()).containsOnlyKeys("totpSecret");
          assertThat(e.fieldErrors().get("totpSecret")).contains("TOTP secret", "another FIELD_ENCRYPTION_KEY", "enter", "- to remove it");
        });
    assertThatThrownBy(() -> restarted.update(created.id(), InstanceForm.of(created)))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors()).containsOnlyKeys("password", "totpSecret"));
    assertThat(repository.findSecrets(created.id()).orElseThrow()).as("nothing half-written").isEqualTo(before);

    Credentials credentials = new InstanceCredentials(null, repository, other);
    assertThatThrownBy(() -> credentials.totpSecretFor(created)).isInstanceOf(SecretBox.SecretUnavailableException.class)
        .hasMessageContaining("TOTP secret").hasMessageNotContaining("password");

    restarted.update(created.id(), secrets(InstanceForm.of(created), "labpass", "")); // the password again, the TOTP secret removed
    assertThat(credentials.passwordFor(created)).contains("labpass");
    assertThat(credentials.totpSecretFor(created)).isEmpty();
  }

  private static InstanceForm secrets(InstanceForm f, String password, String totpSecret) {
    return new InstanceForm(f.name(), f.url(), password, totpSecret, f.tlsMode(), f.caPem(), f.fingerprint(), f.timeoutSeconds(),
        f.scheduleKind(), f.time(), f.day(), f.cron(), f.maxBackups(), f.maxAgeDays(), f.keepDaily(), f.keepWeekly(), f.keepMonthly(),
        f.skipUnchanged(), f.active());
  }

  @Test
  void tellsListenersAboutChanges() {
    int[] changes = new int[1];
    service.onChange(id -> changes[0]++);

    PiholeInstance created = service.create(form("Garage", "https://10.0.0.9"));
    service.pause(created.id(), true);

    assertThat(changes[0]).isEqualTo(2);
  }
  /** A hand-edited row out of its range is marked, and can be switched off as it is, or fixed; not refused for a field left alone. */
  @Test
  void aStoredTimeoutOutOfItsRangeIsMarkedAndTheInstanceCanStillBeSwitchedOffOrFixed() {
    long id = repository.insertUnlessNameTaken(new io.piholecheckpoint.core.instance.InstanceDefinition(null, "Garage", "https://10.0.0.9",
        io.piholecheckpoint.core.instance.TlsTrust.SYSTEM, 999_999_999, io.piholecheckpoint.core.schedule.Schedule.DEFAULT,
        io.piholecheckpoint.core.instance.RetentionPolicy.DEFAULT, false, true), new InstanceRepository.SealedSecrets(null, null)).orElseThrow();
    service.recheck();
    assertThat(service.find(id).problem()).startsWith("timeoutSeconds: the stored 999999999 is not a number of seconds from 1 to 3600");

    PiholeInstance off = service.update(id, InstanceForm.of(service.find(id)).withActive(false));

    assertThat(off.paused()).isTrue();
    assertThat(off.problem()).as("switched off as it is: still marked until fixed").startsWith("timeoutSeconds:");
    InstanceForm stored = InstanceForm.of(off);
    PiholeInstance fixed = service.update(id, new InstanceForm(stored.name(), stored.url(), null, null, stored.tlsMode(), stored.caPem(),
        stored.fingerprint(), "30", stored.scheduleKind(), stored.time(), stored.day(), stored.cron(), stored.maxBackups(), stored.maxAgeDays(),
        stored.keepDaily(), stored.keepWeekly(), stored.keepMonthly(), stored.skipUnchanged(), true));
    assertThat(fixed.problem()).isNull();
    assertThat(fixed.timeoutSeconds()).isEqualTo(30);
  }

  /** A UI instance whose cron's only year is past, as an older start or an ended schedule left it. */
  private long storedWithEndedCron() {
    long id = repository.insertUnlessNameTaken(new InstanceDefinition(null, "Once", "https://10.0.0.9", TlsTrust.SYSTEM, null,
        new Schedule(Schedule.Kind.CRON, java.time.LocalTime.of(3, 0), java.time.DayOfWeek.SUNDAY, "0 39 9 6 12 ? 2020"),
        RetentionPolicy.DEFAULT, false, true), new InstanceRepository.SealedSecrets(null, null)).orElseThrow();
    service.recheck();
    return id;
  }

  /** Validated by what it changes: the ended cron it leaves as stored stays, marked, and refuses nothing. */
  @Test
  void anEditThatLeavesAnEndedCronAsStoredIsTakenAndTheInstanceStaysMarked() {
    long id = storedWithEndedCron();
    InstanceForm stored = InstanceForm.of(service.find(id));

    PiholeInstance edited = service.update(id, new InstanceForm(stored.name(), stored.url(), null, null, stored.tlsMode(), stored.caPem(),
        stored.fingerprint(), stored.timeoutSeconds(), stored.scheduleKind(), stored.time(), stored.day(), stored.cron(), "5",
        stored.maxAgeDays(), stored.keepDaily(), stored.keepWeekly(), stored.keepMonthly(), stored.skipUnchanged(), false));

    assertThat(edited.retention().maxBackups()).isEqualTo(5);
    assertThat(edited.paused()).isTrue();
    assertThat(edited.schedule().cron()).isEqualTo("0 39 9 6 12 ? 2020");
    assertThat(edited.state()).isEqualTo("misconfigured");
    assertThat(edited.problem()).startsWith("schedule: The cron expression '0 39 9 6 12 ? 2020' never fires again");
  }

  /** A field the edit changes is checked as in any edit: to another value that never fires, or a bad address beside the ended cron. */
  @Test
  void anEditThatChangesAFieldToAValueARuleRefusesIsRefusedForThatFieldAlone() {
    long id = storedWithEndedCron();
    InstanceForm stored = InstanceForm.of(service.find(id));
    InstanceForm otherPastYear = new InstanceForm(stored.name(), stored.url(), null, null, stored.tlsMode(), stored.caPem(), stored.fingerprint(),
        stored.timeoutSeconds(), stored.scheduleKind(), stored.time(), stored.day(), "0 39 9 6 12 ? 2021", stored.maxBackups(), stored.maxAgeDays(),
        stored.keepDaily(), stored.keepWeekly(), stored.keepMonthly(), stored.skipUnchanged(), true);
    InstanceForm badAddress = new InstanceForm(stored.name(), "ftp://pi.hole", null, null, stored.tlsMode(), stored.caPem(),
        stored.fingerprint(), stored.timeoutSeconds(), stored.scheduleKind(), stored.time(), stored.day(), stored.cron(), stored.maxBackups(),
        stored.maxAgeDays(), stored.keepDaily(), stored.keepWeekly(), stored.keepMonthly(), stored.skipUnchanged(), true);

    assertThatThrownBy(() -> service.update(id, otherPastYear)).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.fieldErrors()).containsOnlyKeys("cron"));
    assertThatThrownBy(() -> service.update(id, badAddress)).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.fieldErrors()).containsOnlyKeys("url"));
    assertThat(service.find(id).url()).isEqualTo("https://10.0.0.9");
  }

  /** The scheduler's word at the last fire, when the rules still count that fire as to come: marked as a start marks it. */
  @Test
  void aScheduleTheSchedulerSaysHasEndedIsMarkedAsAStartWouldMarkIt() {
    long id = repository.insertUnlessNameTaken(new InstanceDefinition(null, "Once", "https://10.0.0.9", TlsTrust.SYSTEM, null,
        new Schedule(Schedule.Kind.CRON, java.time.LocalTime.of(3, 0), java.time.DayOfWeek.SUNDAY, "0 39 9 6 12 ? 2099"),
        RetentionPolicy.DEFAULT, false, true), new InstanceRepository.SealedSecrets(null, null)).orElseThrow();
    service.recheck();
    assertThat(service.find(id).scheduled()).isTrue();

    service.scheduleEnded(id);

    PiholeInstance ended = service.find(id);
    assertThat(ended.state()).isEqualTo("misconfigured");
    assertThat(ended.scheduled()).isFalse();
    assertThat(ended.problem()).isEqualTo("schedule: The cron expression '0 39 9 6 12 ? 2099' never fires again (e.g. 31 February, or a year"
        + " that is past or more than 100 years ahead); enter one that does, e.g. 30 2 * * * — edit the instance to fix it");
    assertThat(service.list()).filteredOn(i -> i.id() == id).singleElement().satisfies(i -> assertThat(i.problem()).isEqualTo(ended.problem()));
  }

  /** Two nodes on one database: an instance fixed on one loses its mark on the other at its next read, without a restart. */
  @Test
  void anInstanceFixedOnAnotherNodeLosesItsMarkHere() {
    long id = repository.insertUnlessNameTaken(new io.piholecheckpoint.core.instance.InstanceDefinition(null, "Garage", "ftp://10.0.0.9/",
        io.piholecheckpoint.core.instance.TlsTrust.SYSTEM, null, io.piholecheckpoint.core.schedule.Schedule.DEFAULT,
        io.piholecheckpoint.core.instance.RetentionPolicy.DEFAULT, false, true), new InstanceRepository.SealedSecrets(null, null)).orElseThrow();
    InstanceService other = TestInstances.service(repository);
    service.recheck();
    other.recheck();
    assertThat(service.find(id).problem()).startsWith("URL: ");

    other.update(id, form("Garage", "https://10.0.0.9/"));

    assertThat(service.list()).extracting(PiholeInstance::problem).containsOnlyNulls();
    assertThat(service.find(id).problem()).isNull();
  }

  @Test
  void theSchedulersRefusalHereEndsWhenTheInstanceIsChangedOnAnotherNode() {
    long id = service.create(form("Garage", "https://10.0.0.9/")).id();
    InstanceService other = TestInstances.service(repository);
    service.markUnschedulable(id, "the schedule never fires");
    assertThat(service.find(id).problem()).isEqualTo("the schedule never fires");
    repository.updateStatus(id, new PiholeInstance.Status(io.piholecheckpoint.core.instance.ConnectionStatus.OK, null, null, "v6", 1));
    assertThat(service.find(id).problem()).as("a contact changes no setting").isEqualTo("the schedule never fires");

    other.update(id, form("Garage", "https://10.0.0.10/"));

    assertThat(service.find(id).problem()).isNull();
  }
}
