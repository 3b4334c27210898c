package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.instance.InstanceDefaults;
import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.testing.TestInstances;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvironmentInstancesTest {

  private static EnvironmentInstances.Result read(Map<String, String> env) {
    return EnvironmentInstances.read(env, TestInstances.fireTimes());
  }


  @Test
  void aSecondInstanceWithANameTakenAlreadyWhateverItsCaseIsLeftOutAndNamed() {
    EnvironmentInstances.Result result = read(Map.of(
        "PIHOLE_HOME_URL", "http://10.0.0.2",
        "PIHOLE_Y_URL", "http://10.0.0.3", "PIHOLE_Y_NAME", "home",
        "PIHOLE_Z_URL", "http://10.0.0.4", "PIHOLE_Z_NAME", "Office"));

    assertThat(result.definitions()).extracting(InstanceDefinition::envPrefix).containsExactly("HOME", "Z");
    assertThat(result.problems()).containsExactly(
        "PIHOLE_Y_* names its Pi-hole 'home', the name of PIHOLE_HOME_* already; it is not used — give it a PIHOLE_Y_NAME of its own");
  }

  /** A new prefix named like one already in use gives way, whatever their order: the established one keeps its history. */
  @Test
  void anInstanceAlreadyInUseKeepsItsNameAgainstANewPrefixThatSortsBeforeIt() {
    EnvironmentInstances.Result result = EnvironmentInstances.read(Map.of(
        "PIHOLE_HOME_URL", "http://10.0.0.2",
        "PIHOLE_H2_URL", "http://10.0.0.3", "PIHOLE_H2_NAME", "HOME"), TestInstances.fireTimes(), Map.of(), Set.of("HOME"));

    assertThat(result.definitions()).extracting(InstanceDefinition::envPrefix).containsExactly("HOME");
    assertThat(result.problems()).containsExactly(
        "PIHOLE_H2_* names its Pi-hole 'HOME', the name of PIHOLE_HOME_* already; it is not used — give it a PIHOLE_H2_NAME of its own");
  }

  @Test
  void aPrefixThatCannotBeOneIsCalledWhatItIsNotLowerCase() {
    EnvironmentInstances.Result result = read(Map.of("PIHOLE_9LIVES_URL", "http://10.0.0.2", "PIHOLE_home_URL", "http://10.0.0.3"));

    assertThat(result.definitions()).isEmpty();
    assertThat(result.problems()).containsExactly(
        "PIHOLE_9LIVES_URL: an instance's prefix starts with a letter and holds only letters, digits and _ (e.g. PIHOLE_HOME_URL); it is ignored",
        "PIHOLE_home_URL: an instance's prefix is upper case (PIHOLE_HOME_URL); it is ignored");
  }

  @Test
  void readsEveryFieldOfAnInstance() {
    Map<String, String> env = Map.of(
        "PIHOLE_HOME_URL", "https://pi.hole/admin",
        "PIHOLE_HOME_NAME", "Living room",
        "PIHOLE_HOME_VERIFY_SSL", "false",
        "PIHOLE_HOME_SCHEDULE", "weekly",
        "PIHOLE_HOME_TIME", "04:30",
        "PIHOLE_HOME_DAY", "tue",
        "PIHOLE_HOME_MAX_BACKUPS", "5",
        "PIHOLE_HOME_MAX_AGE_DAYS", "0");

    EnvironmentInstances.Result result = read(env);

    assertThat(result.problems()).isEmpty();
    assertThat(result.definitions()).containsExactly(new InstanceDefinition("HOME", "Living room", "https://pi.hole/admin", TlsTrust.INSECURE,
        null, new Schedule(Schedule.Kind.WEEKLY, LocalTime.of(4, 30), DayOfWeek.TUESDAY, null), new RetentionPolicy(5, 0), false, true));
  }

  /** Every per-instance variable the README documents, all at once, is one instance: none is read as a prefix of its own. */
  @Test
  void everyDocumentedPerInstanceVariableTogetherMakesExactlyOneInstance() throws Exception {
    java.util.regex.Matcher documented = java.util.regex.Pattern.compile("^\\| `PIHOLE_<P>_([A-Z_]+)`", java.util.regex.Pattern.MULTILINE)
        .matcher(java.nio.file.Files.readString(java.nio.file.Path.of("README.md")));
    Map<String, String> env = new java.util.HashMap<>();
    while (documented.find()) {
      env.put("PIHOLE_HOME_" + documented.group(1), documented.group(1).endsWith("URL") ? "http://10.0.0.2" : "x");
      // and a _FILE variant of each, as a Docker secret would be given: a file of the URL's or the secret's is never an instance
      env.put("PIHOLE_HOME_" + documented.group(1) + "_FILE", "/run/secrets/x");
    }

    EnvironmentInstances.Result result = read(env);

    assertThat(env).containsKeys("PIHOLE_HOME_URL", "PIHOLE_HOME_PING_URL", "PIHOLE_HOME_CRON", "PIHOLE_HOME_PASSWORD_FILE",
        "PIHOLE_HOME_TOTP_SECRET_FILE", "PIHOLE_HOME_CA_FILE", "PIHOLE_HOME_URL_FILE", "PIHOLE_HOME_TOTP_SECRET_FILE_FILE").hasSizeGreaterThan(40);
    assertThat(result.definitions()).extracting(InstanceDefinition::envPrefix).containsExactly("HOME");
  }

  /**
   * README: a prefix is {@code [A-Z][A-Z0-9_]*}, so HOME_TOTP may be a Pi-hole of its own; HOME's TOTP secret file is still
   * HOME's (no setting of HOME_TOTP ends "SECRET_FILE"), neither a phantom instance nor a stray of HOME_TOTP.
   */
  @Test
  void aSecretFileOfHomeIsHomesBesideAnInstanceWhosePrefixStartsLikeIt() {
    EnvironmentInstances.Result result = read(Map.of("PIHOLE_HOME_URL", "http://10.0.0.2", "PIHOLE_HOME_TOTP_URL", "http://10.0.0.3",
        "PIHOLE_HOME_TOTP_SECRET_FILE", "/run/secrets/totp", "PIHOLE_HOME_PASSWORD_FILE", "/run/secrets/pw",
        "PIHOLE_HOME_TOTP_PASSWORD_FILE", "/run/secrets/pw2", "PIHOLE_HOME_TOTP_TOTP_SECRET_FILE", "/run/secrets/totp2"));

    assertThat(result.definitions()).extracting(InstanceDefinition::envPrefix).containsExactlyInAnyOrder("HOME", "HOME_TOTP");
    assertThat(result.problems()).isEmpty();
  }

  @Test
  void aSecretFileOfAPrefixWithoutUrlIsNamedNotIgnored() {
    EnvironmentInstances.Result result = read(Map.of("PIHOLE_HOME_URL", "http://10.0.0.2", "PIHOLE_GHOST_PASSWORD_FILE", "/run/secrets/pw",
        "PIHOLE_GHOST_TOTP_SECRET_FILE", "/run/secrets/totp"));

    assertThat(result.problems()).containsExactly(
        "PIHOLE_GHOST_PASSWORD_FILE belongs to no Pi-hole: there is no PIHOLE_GHOST_URL; it is ignored",
        "PIHOLE_GHOST_TOTP_SECRET_FILE belongs to no Pi-hole: there is no PIHOLE_GHOST_URL; it is ignored");
  }

  @Test
  void everyDocumentedPerInstanceVariableIsKnownSoNoneIsCalledStray() throws Exception {
    java.util.regex.Matcher documented = java.util.regex.Pattern.compile("^\\| `PIHOLE_<P>_([A-Z_]+)`", java.util.regex.Pattern.MULTILINE)
        .matcher(java.nio.file.Files.readString(java.nio.file.Path.of("README.md")));
    java.util.List<String> settings = new java.util.ArrayList<>();
    while (documented.find()) {
      settings.add(documented.group(1));
    }

    assertThat(settings).hasSizeGreaterThan(20);
    assertThat(StrayVariables.SETTINGS).containsExactlyInAnyOrderElementsOf(settings);
  }

  @Test
  void variablesThatBelongToNoInstanceAreNamedNotIgnoredInSilence() {
    EnvironmentInstances.Result result = read(Map.of(
        "PIHOLE_HOME_URL", "http://10.0.0.2", "PIHOLE_HOME_PING_URL", "https://hc-ping.example/1",
        "PIHOLE_TIMEOUT_SECONDS", "30", "PIHOLE_RETRIES", "2",
        "PIHOLE_ORPHAN_PING_URL", "https://hc-ping.example/2", "PIHOLE_home_URL", "http://10.0.0.3", "PIHOLE_A_BOGUS", "1"));

    assertThat(result.definitions()).extracting(InstanceDefinition::envPrefix).containsExactly("HOME");
    assertThat(result.problems()).hasSize(3);
    assertThat(result.problems()).anySatisfy(p -> assertThat(p).startsWith("PIHOLE_ORPHAN_PING_URL belongs to no Pi-hole").contains("PIHOLE_ORPHAN_URL"));
    assertThat(result.problems()).anySatisfy(p -> assertThat(p).startsWith("PIHOLE_home_URL").contains("PIHOLE_HOME_URL"));
    assertThat(result.problems()).anySatisfy(p -> assertThat(p).startsWith("PIHOLE_A_BOGUS is not a setting"));
  }

  @Test
  void aCronOrWeekdayOfAnotherScheduleKindIsNamedAsIgnored() {
    EnvironmentInstances.Result result = read(Map.of("PIHOLE_B9_URL", "http://10.0.0.2", "PIHOLE_B9_CRON", "30 2 * * *",
        "PIHOLE_B9_DAY", "tue"));

    assertThat(result.definitions().get(0).schedule().kind()).isEqualTo(Schedule.Kind.DAILY);
    assertThat(result.problems()).containsExactly(
        "PIHOLE_B9_CRON is set, but PIHOLE_B9_SCHEDULE is daily, so it is ignored; set PIHOLE_B9_SCHEDULE=cron to use it",
        "PIHOLE_B9_DAY is set, but PIHOLE_B9_SCHEDULE is daily, so it is ignored; set PIHOLE_B9_SCHEDULE=weekly to use it");
  }

  @Test
  void aTimeWithACronScheduleIsNamedAsIgnored() {
    EnvironmentInstances.Result result = read(Map.of("PIHOLE_B9_URL", "http://10.0.0.2", "PIHOLE_B9_SCHEDULE", "cron",
        "PIHOLE_B9_CRON", "30 2 * * *", "PIHOLE_B9_TIME", "04:00"));

    assertThat(result.definitions().get(0).schedule().cron()).isEqualTo("30 2 * * *");
    assertThat(result.problems()).containsExactly(
        "PIHOLE_B9_TIME is set, but PIHOLE_B9_SCHEDULE is cron, so it is ignored; set PIHOLE_B9_SCHEDULE=daily to use it");
  }

  @Test
  void aSettingThatIsNotOneOfAPiholesIsNamedAsThatNotAsAPiholeWithoutUrl() {
    EnvironmentInstances.Result result = read(Map.of("PIHOLE_HOME_URL", "http://10.0.0.2", "PIHOLE_HOME_PING_URL", "https://hc.example/ping",
        "PIHOLE_HOME_PING_PASSWORD", "x"));

    assertThat(result.problems()).singleElement().asString().startsWith("PIHOLE_HOME_PING_PASSWORD is not a setting of the Pi-hole HOME")
        .doesNotContain("x'");
  }

  @Test
  void readsTlsTrustTimeoutBucketsAndSkipUnchanged() {
    String pin = "AB:".repeat(31) + "AB";
    EnvironmentInstances.Result result = read(Map.of(
        "PIHOLE_HOME_URL", "https://10.0.0.2",
        "PIHOLE_HOME_TLS_FINGERPRINT", pin,
        "PIHOLE_HOME_TIMEOUT_SECONDS", "120",
        "PIHOLE_HOME_KEEP_DAILY", "7",
        "PIHOLE_HOME_KEEP_WEEKLY", "4",
        "PIHOLE_HOME_KEEP_MONTHLY", "6",
        "PIHOLE_HOME_SKIP_UNCHANGED", "true"));

    InstanceDefinition d = result.definitions().get(0);
    assertThat(result.problems()).isEmpty();
    assertThat(d.tls()).isEqualTo(TlsTrust.fingerprint("ab".repeat(32)));
    assertThat(d.timeoutSeconds()).isEqualTo(120);
    assertThat(d.retention()).isEqualTo(new RetentionPolicy(10, 30, 7, 4, 6));
    assertThat(d.skipUnchanged()).isTrue();
  }

  @Test
  void acceptsTheFingerprintLineOpensslPrints() {
    EnvironmentInstances.Result result = read(Map.of("PIHOLE_HOME_URL", "https://10.0.0.2",
        "PIHOLE_HOME_TLS_FINGERPRINT", "sha256 Fingerprint=" + "CD:".repeat(31) + "CD"));

    assertThat(result.problems()).isEmpty();
    assertThat(result.definitions().get(0).tls()).isEqualTo(TlsTrust.fingerprint("cd".repeat(32)));
  }

  /** VERIFY_SSL=false beside a blank fingerprint is no pin: said for the https:// one, naming it and what verifies it, never its password. */
  @Test
  void anHttpsInstanceWhoseCertificateIsNotCheckedIsNamedWithWhatToSetToVerifyIt() {
    Map<String, String> env = Map.of("PIHOLE_HOME_URL", "https://10.0.0.2", "PIHOLE_HOME_NAME", "Living room", "PIHOLE_HOME_PASSWORD", "labpass",
        "PIHOLE_HOME_TLS_FINGERPRINT", " ", "PIHOLE_HOME_VERIFY_SSL", "false",
        "PIHOLE_LAB_URL", "http://10.0.0.3", "PIHOLE_LAB_VERIFY_SSL", "false",
        "PIHOLE_PIN_URL", "https://10.0.0.4", "PIHOLE_PIN_VERIFY_SSL", "false", "PIHOLE_PIN_TLS_FINGERPRINT", "AB:".repeat(31) + "AB");
    EnvironmentInstances.Result result = read(env);

    assertThat(EnvironmentInstances.unverified(result.definitions(), env)).containsExactly("PIHOLE_HOME_TLS_FINGERPRINT is empty and"
        + " PIHOLE_HOME_VERIFY_SSL=false: 'Living room' is backed up without checking its certificate, so whoever answers at its address is"
        + " trusted with its password; to verify it, set PIHOLE_HOME_TLS_FINGERPRINT to its certificate's SHA-256 fingerprint (or"
        + " PIHOLE_HOME_CA_FILE to its CA), or remove PIHOLE_HOME_VERIFY_SSL if the system trusts its certificate");
  }

  @Test
  void prefersAPinnedFingerprintOverACaFileOverTheVerifyFlag() {
    EnvironmentInstances.Result caOnly = read(Map.of("PIHOLE_HOME_URL", "https://pi.hole",
        "PIHOLE_HOME_CA_FILE", "/etc/hostname", "PIHOLE_HOME_VERIFY_SSL", "false"));

    assertThat(caOnly.definitions().get(0).tls()).isEqualTo(TlsTrust.caFile("/etc/hostname"));
  }

  @Test
  void reportsABadFingerprintAndAnUnreadableCaFile() {
    EnvironmentInstances.Result result = read(Map.of("PIHOLE_HOME_URL", "https://pi.hole",
        "PIHOLE_HOME_TLS_FINGERPRINT", "abc", "PIHOLE_HOME_CA_FILE", "/nonexistent/ca.crt"));

    assertThat(result.problems()).anySatisfy(p -> assertThat(p).startsWith("PIHOLE_HOME_TLS_FINGERPRINT='abc' is not a SHA-256 fingerprint"));
    assertThat(result.problems()).anySatisfy(p -> assertThat(p).startsWith("PIHOLE_HOME_CA_FILE='/nonexistent/ca.crt' is not a readable file"));
  }

  /**
   * A pin that cannot be read is not dropped for a weaker trust (_VERIFY_SSL=false, plain http://): the instance keeps the
   * pinned mode without a fingerprint, which the rules refuse, so it is marked and not contacted.
   */
  @ParameterizedTest
  @CsvSource({"https://pi.hole,zz", "http://pi.hole,AB:CD"})
  void aMalformedFingerprintLeavesThePinInPlaceAndTheInstanceMarked(String url, String pin) {
    EnvironmentInstances.Result result = read(Map.of("PIHOLE_G_URL", url, "PIHOLE_G_TLS_FINGERPRINT", pin, "PIHOLE_G_VERIFY_SSL", "false"));

    TlsTrust trust = result.definitions().get(0).tls();
    assertThat(trust.mode()).isEqualTo(TlsTrust.Mode.FINGERPRINT);
    assertThat(io.piholecheckpoint.core.settings.InstanceRules.tls(trust)).isPresent();
    assertThat(result.problems()).first().asString().isEqualTo("PIHOLE_G_TLS_FINGERPRINT='" + pin + "' is not a SHA-256 fingerprint (64"
        + " hex digits, colons allowed); only the certificate it names would be accepted, so the Pi-hole is not contacted until it is fixed");
  }

  /** Over http:// no certificate is looked at: that is said, rather than what is wrong with a CA file that would not be used. */
  @Test
  void aCertificateCheckForAnHttpUrlIsNamedInsteadOfItsCaFile() {
    EnvironmentInstances.Result ca = read(Map.of("PIHOLE_HOME_URL", "http://pi.hole", "PIHOLE_HOME_CA_FILE", "/nonexistent/ca.crt"));
    EnvironmentInstances.Result pin = read(Map.of("PIHOLE_HOME_URL", "http://pi.hole", "PIHOLE_HOME_TLS_FINGERPRINT", "ab".repeat(32)));

    assertThat(ca.problems()).singleElement().asString().startsWith("PIHOLE_HOME_CA_FILE is set but PIHOLE_HOME_URL='http://pi.hole' is no"
        + " https:// address: TLS settings (a CA certificate) need an https:// URL").doesNotContain("readable");
    assertThat(pin.problems()).singleElement().asString().startsWith("PIHOLE_HOME_TLS_FINGERPRINT is set but PIHOLE_HOME_URL='http://pi.hole'");
  }

  /** A CA file in DER works for the backups (TlsContexts reads either form): no start warning says it will fail. */
  @Test
  void aCaFileInDerFormIsNoProblem(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    String pem = java.nio.file.Files.readString(io.piholecheckpoint.testing.TestCertificates.forLoopback().pem());
    byte[] der = java.util.Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    java.nio.file.Path file = java.nio.file.Files.write(dir.resolve("ca.der"), der);

    EnvironmentInstances.Result result = read(Map.of("PIHOLE_HOME_URL", "https://pi.hole", "PIHOLE_HOME_CA_FILE", file.toString()));

    assertThat(result.problems()).isEmpty();
    assertThat(result.definitions().get(0).tls()).isEqualTo(TlsTrust.caFile(file.toString()));
  }

  @Test
  void anInstanceWithOnlyAUrlIsBackedUpDailyAtThreeAsTheReadmeSays() {
    // the integration tests move env instances away from 03:00 (testing.AwayFromNow), so the default is held here
    Schedule schedule = read(Map.of("PIHOLE_HOME_URL", "http://10.0.0.2")).definitions().get(0).schedule();

    assertThat(schedule.kind()).isEqualTo(Schedule.Kind.DAILY);
    assertThat(schedule.time()).isEqualTo(java.time.LocalTime.of(3, 0));
  }

  @Test
  void namesAMultiWordPrefixInTitleCase() {
    EnvironmentInstances.Result result = read(Map.of("PIHOLE_HOME_OFFICE_URL", "http://10.0.0.2"));

    assertThat(result.definitions()).singleElement().satisfies(d -> {
      assertThat(d.envPrefix()).isEqualTo("HOME_OFFICE");
      assertThat(d.name()).isEqualTo("Home Office");
      assertThat(io.piholecheckpoint.core.instance.Slugs.of(d.name())).isEqualTo("home-office");
      assertThat(d.schedule()).isEqualTo(Schedule.DEFAULT);
      assertThat(d.retention()).isEqualTo(RetentionPolicy.DEFAULT);
    });
  }

  @Test
  void ignoresVariablesThatAreNotInstanceUrls() {
    EnvironmentInstances.Result result = read(Map.of("PIHOLE_URL", "x", "PIHOLE_home_URL", "x", "PIHOLE_HOME_PASSWORD", "x"));

    assertThat(result.definitions()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0|SUNDAY|PIHOLE_HOME_DAY=0 is not a weekday here (1 = Monday … 7 = Sunday); Pi-hole Checkpoint 1.x read it as monday (0 = Monday), using sunday: write PIHOLE_HOME_DAY=monday",
      "3|WEDNESDAY|PIHOLE_HOME_DAY=3 is read as wednesday (1 = Monday); Pi-hole Checkpoint 1.x read it as thursday (0 = Monday): write the day's name, PIHOLE_HOME_DAY=wednesday or PIHOLE_HOME_DAY=thursday",
      "6|SATURDAY|PIHOLE_HOME_DAY=6 is read as saturday (1 = Monday); Pi-hole Checkpoint 1.x read it as sunday (0 = Monday): write the day's name, PIHOLE_HOME_DAY=saturday or PIHOLE_HOME_DAY=sunday",
  })
  void aWeekdayNumberThatMeantAnotherDayIn1xIsReadOurWayAndTheShiftIsSaid(String raw, DayOfWeek expected, String problem) {
    EnvironmentInstances.Result result = read(Map.of("PIHOLE_HOME_URL", "http://pi.hole", "PIHOLE_HOME_SCHEDULE", "weekly", "PIHOLE_HOME_DAY", raw));

    assertThat(result.definitions().get(0).schedule().day()).isEqualTo(expected);
    assertThat(result.problems()).containsExactly(problem);
  }

  @Test
  void aWeekdayNumberOnlyWeCountIsNotRemarkedUpon() {
    EnvironmentInstances.Result result = read(Map.of("PIHOLE_HOME_URL", "http://pi.hole", "PIHOLE_HOME_SCHEDULE", "weekly", "PIHOLE_HOME_DAY", "7"));

    assertThat(result.definitions().get(0).schedule().day()).isEqualTo(DayOfWeek.SUNDAY);
    assertThat(result.problems()).isEmpty();
  }

  @Test
  void aPingUrlThatIsNoAddressIsNamedAtStartWithoutItsToken() {
    EnvironmentInstances.Result result = read(Map.of("PIHOLE_HOME_URL", "http://pi.hole", "PIHOLE_HOME_PING_URL",
        "https://hc-ping.example/uuid-SECRET-4444|"));

    assertThat(result.definitions()).hasSize(1);
    assertThat(result.problems()).singleElement().asString().doesNotContain("SECRET").startsWith("PIHOLE_HOME_PING_URL (https://hc-ping.example…)"
        + " is not an http:// or https:// address: it cannot be read as an address (Illegal character in path at character 41").endsWith(
            "No dead-man pings are sent until it is fixed; the rest of it is not shown, as it may hold a token");
    assertThat(read(Map.of("PIHOLE_HOME_URL", "http://pi.hole", "PIHOLE_HOME_PING_URL", "not a url")).problems()).singleElement().asString()
        .startsWith("PIHOLE_HOME_PING_URL is not an http:// or https:// address: it cannot be read as an address");
    assertThat(read(Map.of("PIHOLE_HOME_URL", "http://pi.hole", "PIHOLE_HOME_PING_URL", "https://hc-ping.com/uuid")).problems()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "PIHOLE_HOME_TIME|25:00|PIHOLE_HOME_TIME='25:00' is not a time as HH:MM (24 h); using 03:00",
      "PIHOLE_HOME_MAX_BACKUPS|-1|PIHOLE_HOME_MAX_BACKUPS='-1' is not a whole number from 0 to 100000 (0 = no limit); using 10",
      "PIHOLE_HOME_SCHEDULE|fortnightly|PIHOLE_HOME_SCHEDULE='fortnightly' is not one of hourly, daily, weekly, cron; using daily",
      "PIHOLE_HOME_DAY|someday|PIHOLE_HOME_DAY='someday' is not a weekday (monday … sunday, mon … sun, or 1 … 7 with 1 = Monday); using sunday",
      "PIHOLE_HOME_VERIFY_SSL|maybe|PIHOLE_HOME_VERIFY_SSL='maybe' is not true or false; using true",
      "PIHOLE_HOME_TIMEOUT_SECONDS|0|PIHOLE_HOME_TIMEOUT_SECONDS='0' is not a number of seconds from 1 to 3600; using PIHOLE_TIMEOUT_SECONDS",
  })
  void keepsTheInstanceAndTheDefaultWhenAValueIsInvalid(String variable, String value, String problem) {
    EnvironmentInstances.Result result = read(Map.of("PIHOLE_HOME_URL", "http://pi.hole", variable, value));

    assertThat(result.definitions()).hasSize(1);
    assertThat(result.problems()).containsExactly(problem);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"30 2 * * 1-5 | 0 30 2 ? * 2,3,4,5,6", "@daily | 0 0 0 * * ?", "0 15 3 ? * SUN | 0 15 3 ? * 1"})
  void acceptsACronAsCopiedFromCrontabAndKeepsItAsWritten(String written, String quartz) {
    EnvironmentInstances.Result result = read(Map.of("PIHOLE_HOME_URL", "http://pi.hole", "PIHOLE_HOME_SCHEDULE", "cron",
        "PIHOLE_HOME_CRON", " " + written + " "));

    assertThat(result.problems()).isEmpty();
    Schedule schedule = result.definitions().get(0).schedule();
    assertThat(schedule.cron()).isEqualTo(written);
    assertThat(schedule.cronExpression()).isEqualTo(quartz);
  }

  @Test
  void aCrontabLineRestrictingBothDaysIsNamedAndTheDailyDefaultIsUsed() {
    EnvironmentInstances.Result result = read(Map.of("PIHOLE_HOME_URL", "http://pi.hole", "PIHOLE_HOME_SCHEDULE", "cron",
        "PIHOLE_HOME_CRON", "0 3 1 * MON"));

    assertThat(result.definitions()).singleElement().extracting(InstanceDefinition::schedule).isEqualTo(Schedule.DEFAULT);
    assertThat(result.problems()).singleElement().asString().startsWith("PIHOLE_HOME_CRON='0 3 1 * MON': The cron expression")
        .contains("either matches").endsWith(". Using the default daily schedule");
  }

  @Test
  void aCronThatNeverFiresIsNamedWithItsVariableAndTheDailyDefaultIsUsed() {
    EnvironmentInstances.Result result = read(Map.of("PIHOLE_HOME_URL", "http://pi.hole", "PIHOLE_HOME_SCHEDULE", "cron",
        "PIHOLE_HOME_CRON", "0 0 0 31 2 ?"));

    assertThat(result.definitions()).singleElement().extracting(InstanceDefinition::schedule).isEqualTo(Schedule.DEFAULT);
    assertThat(result.problems()).singleElement().asString().startsWith("PIHOLE_HOME_CRON='0 0 0 31 2 ?': The cron expression")
        .contains("never fires").endsWith(". Using the default daily schedule");
  }

  @Test
  void everyPerInstanceVariableIsCheckedByTheSameRules(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path notACertificate = java.nio.file.Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

    EnvironmentInstances.Result result = read(Map.of("PIHOLE_HOME_URL", "http://admin:hunter2@169.254.169.254", "PIHOLE_HOME_NAME", "Home\r\nforged",
        "PIHOLE_HOME_CA_FILE", notACertificate.toString(), "PIHOLE_HOME_TOTP_SECRET", "not base32!", "PIHOLE_HOME_KEEP_DAILY", "100001"));

    assertThat(result.definitions()).singleElement().extracting(InstanceDefinition::name).isEqualTo("Home");
    assertThat(result.problems()).hasSize(5).anySatisfy(p -> assertThat(p).startsWith("PIHOLE_HOME_URL=").contains("user name and password"))
        .anySatisfy(p -> assertThat(p).startsWith("PIHOLE_HOME_NAME=").contains("control characters").endsWith("Using 'Home'."))
        .anySatisfy(p -> assertThat(p).startsWith("PIHOLE_HOME_CA_FILE=").contains("X.509"))
        .anySatisfy(p -> assertThat(p).startsWith("PIHOLE_HOME_TOTP_SECRET ").doesNotContain("not base32!"))
        .anySatisfy(p -> assertThat(p).startsWith("PIHOLE_HOME_KEEP_DAILY='100001'"));
  }

  /** Outsider 51 (F1): PIHOLE_HOME_TOTP_SECRET=A started without a word, and every login then failed unexpectedly. */
  @Test
  void aTotpSecretTooShortToMakeAKeyIsAConfigurationProblemOfItsInstance() {
    EnvironmentInstances.Result result = read(Map.of("PIHOLE_HOME_URL", "http://10.0.0.2", "PIHOLE_HOME_TOTP_SECRET", "A="));

    assertThat(result.definitions()).singleElement().extracting(InstanceDefinition::name).isEqualTo("Home");
    assertThat(result.problems()).singleElement().satisfies(p -> assertThat(p).startsWith("PIHOLE_HOME_TOTP_SECRET ")
        .contains("too short to make a key", "webserver.api.totp_secret", "Sign-in will fail until it is fixed").doesNotContain("A="));
  }

  @Test
  void keepsAnInstanceWithABadUrlAndSaysSo() {
    EnvironmentInstances.Result result = read(Map.of("PIHOLE_HOME_URL", "pi.hole"));

    assertThat(result.definitions()).hasSize(1);
    assertThat(result.problems()).singleElement().asString().startsWith("PIHOLE_HOME_URL='pi.hole': Enter the address of the Pi-hole web interface, starting with http:// or https://");
  }

  @Test
  void fallsBackToDailyWhenACronScheduleHasNoExpression() {
    EnvironmentInstances.Result result = read(Map.of("PIHOLE_HOME_URL", "http://pi.hole", "PIHOLE_HOME_SCHEDULE", "cron"));

    assertThat(result.definitions().get(0).schedule().kind()).isEqualTo(Schedule.Kind.DAILY);
    assertThat(result.problems()).singleElement().asString().contains("needs PIHOLE_HOME_CRON");
  }

  @Test
  void anInstanceCarriedOverFromTheOriginalKeepsItsScheduleAndRetentionWhereItsVariablesAreUnset() {
    InstanceDefaults original = new InstanceDefaults(new Schedule(Schedule.Kind.WEEKLY, LocalTime.of(4, 30), DayOfWeek.WEDNESDAY, null),
        new RetentionPolicy(20, 60));

    EnvironmentInstances.Result result = EnvironmentInstances.read(Map.of("PIHOLE_HOME_URL", "http://10.0.0.2", "PIHOLE_HOME_MAX_BACKUPS", "5",
        "PIHOLE_OFFICE_URL", "http://10.0.0.3"), TestInstances.fireTimes(), Map.of("HOME", original));

    InstanceDefinition home = result.definitions().stream().filter(d -> d.envPrefix().equals("HOME")).findFirst().orElseThrow();
    InstanceDefinition office = result.definitions().stream().filter(d -> d.envPrefix().equals("OFFICE")).findFirst().orElseThrow();
    assertThat(home.schedule()).isEqualTo(original.schedule());
    assertThat(home.retention()).as("the variable that is set wins").isEqualTo(new RetentionPolicy(5, 60));
    assertThat(office.schedule()).isEqualTo(Schedule.DEFAULT);
    assertThat(result.problems()).isEmpty();
  }
}
