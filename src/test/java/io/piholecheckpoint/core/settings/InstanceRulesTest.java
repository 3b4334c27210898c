package io.piholecheckpoint.core.settings;

import io.piholecheckpoint.core.units.UrlText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.instance.InstanceNames;
import io.piholecheckpoint.core.instance.Origin;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.schedule.FireTimes;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.core.units.LogText;
import io.piholecheckpoint.testing.TestCertificates;
import io.piholecheckpoint.testing.TestInstances;
import java.nio.file.Files;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one validator, with hostile values: what it refuses, and what it must keep accepting. */
class InstanceRulesTest {
  private static final FireTimes QUARTZ = TestInstances.fireTimes();

  private static InstanceForm form(String name, String url, String kind, String cron) {
    InstanceForm b = InstanceForm.blank();
    return new InstanceForm(name, url, "pw", null, b.tlsMode(), b.caPem(), b.fingerprint(), b.timeoutSeconds(), kind, b.time(), b.day(), cron,
        b.maxBackups(), b.maxAgeDays(), b.keepDaily(), b.keepWeekly(), b.keepMonthly(), false, true);
  }

  private static InstanceForm withCron(String cron) {
    return form("Home", "http://pi.hole", "cron", cron);
  }

  @Nested
  class Tls {
    @Test
    void marksAStoredInstanceWhoseTlsSettingsAreIncomplete() {
      PiholeInstance caWithoutCertificate = instanceWith(new TlsTrust(TlsTrust.Mode.CA_FILE, null, " ", null));
      PiholeInstance pinWithoutFingerprint = instanceWith(new TlsTrust(TlsTrust.Mode.FINGERPRINT, null, null, null));

      assertThat(InstanceRules.problemOf(caWithoutCertificate, QUARTZ)).get().asString()
          .startsWith("TLS: the mode CA_FILE needs a CA certificate").contains("edit the instance");
      assertThat(InstanceRules.problemOf(pinWithoutFingerprint, QUARTZ)).get().asString().startsWith("TLS: the mode FINGERPRINT needs");
    }

    @Test
    void aStoredFingerprintThatIsNotOneIsCalledThatNotMissing() {
      PiholeInstance pinned = instanceWith(new TlsTrust(TlsTrust.Mode.FINGERPRINT, null, null, "zz"));

      assertThat(InstanceRules.problemOf(pinned, QUARTZ)).get().asString().startsWith("TLS: the mode FINGERPRINT needs").contains(
          "but the one stored is not one").doesNotContain("none is stored");
    }

    @Test
    void namesTheVariableOfAnEnvironmentPinThatCouldNotBeRead() {
      PiholeInstance fromEnvironment = new PiholeInstance(1, "G", "g", Origin.ENV, "G", "https://pi.hole",
          new TlsTrust(TlsTrust.Mode.FINGERPRINT, null, null, null), null, Schedule.DEFAULT,
          new io.piholecheckpoint.core.instance.RetentionPolicy(2, 0), false, true, false, false, PiholeInstance.Status.UNKNOWN);

      assertThat(InstanceRules.problemOf(fromEnvironment, QUARTZ)).get().asString().isEqualTo("TLS: PIHOLE_G_TLS_FINGERPRINT is not a"
          + " SHA-256 fingerprint (64 hex digits, colons allowed); only the certificate it names would be accepted, so the Pi-hole is not"
          + " contacted — fix the variables PIHOLE_G_* and restart");
    }

    @Test
    void acceptsCompleteTlsSettings() {
      assertThat(InstanceRules.tls(TlsTrust.SYSTEM)).isEmpty();
      assertThat(InstanceRules.tls(TlsTrust.INSECURE)).isEmpty();
      assertThat(InstanceRules.tls(TlsTrust.caFile("/etc/ssl/pihole-ca.crt"))).isEmpty();
      assertThat(InstanceRules.tls(TlsTrust.fingerprint("ab".repeat(32)))).isEmpty();
    }

    /** The whole line `openssl x509 -noout -fingerprint -sha256` prints, pasted into the form (or sent to the API, which reads the same form). */
    @ParameterizedTest
    @ValueSource(strings = {"sha256 Fingerprint=", "SHA256 Fingerprint=", "  sha256 Fingerprint = "})
    void acceptsTheFingerprintLineOpensslPrints(String prefix) {
      InstanceForm b = form("Home", "https://pi.hole", "daily", "");
      InstanceForm pasted = new InstanceForm(b.name(), b.url(), "pw", null, "fingerprint", null, prefix + "CD:".repeat(31) + "CD", null, "daily",
          b.time(), b.day(), "", b.maxBackups(), b.maxAgeDays(), b.keepDaily(), b.keepWeekly(), b.keepMonthly(), false, true);

      InstanceForm.Valid valid = pasted.validate(QUARTZ);

      assertThat(valid.settings().tls()).isEqualTo(TlsTrust.fingerprint("cd".repeat(32)));
    }

    /** A pin or a CA is checked only over TLS: with http:// the backups would travel in plain text under a mode that says otherwise. */
    @ParameterizedTest
    @ValueSource(strings = {"fingerprint", "ca"})
    void refusesACertificateCheckForAnHttpUrlNamingTheTlsMode(String mode) throws Exception {
      InstanceForm b = form("Home", "http://pi.hole:8080", "daily", "");
      InstanceForm plain = new InstanceForm(b.name(), b.url(), "pw", null, mode, mode.equals("ca") ? Files.readString(TestCertificates.forLoopback().pem()) : null,
          mode.equals("fingerprint") ? "ab".repeat(32) : null, null, "daily", b.time(), b.day(), "", b.maxBackups(), b.maxAgeDays(),
          b.keepDaily(), b.keepWeekly(), b.keepMonthly(), false, true);

      assertThatThrownBy(() -> plain.validate(QUARTZ)).isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors())
          .containsOnlyKeys("tlsMode").extractingByKey("tlsMode").asString().contains("need an https:// URL", "plain text"));
    }

    @Test
    void marksAStoredInstanceThatChecksACertificateOverHttp() {
      PiholeInstance pinned = new PiholeInstance(1, "Home", "home", Origin.UI, null, "http://pi.hole", TlsTrust.fingerprint("ab".repeat(32)), null,
          Schedule.DEFAULT, new io.piholecheckpoint.core.instance.RetentionPolicy(2, 0), false, true, false, false, PiholeInstance.Status.UNKNOWN);

      assertThat(InstanceRules.problemOf(pinned, QUARTZ)).get().asString().startsWith("TLS: TLS settings (a pinned certificate fingerprint) need an"
          + " https:// URL");
      assertThat(TlsTrust.fingerprint("ab".repeat(32)).overHttp("HTTPS://pi.hole")).isEmpty();
      assertThat(TlsTrust.INSECURE.overHttp("http://pi.hole")).as("nothing is said to be checked").isEmpty();
    }

    private PiholeInstance instanceWith(TlsTrust tls) {
      return new PiholeInstance(1, "Home", "home", Origin.UI, null, "https://pi.hole", tls, null, Schedule.DEFAULT,
          new io.piholecheckpoint.core.instance.RetentionPolicy(2, 0), false, true, false, false, PiholeInstance.Status.UNKNOWN);
    }
  }

  @Nested
  class Schedules {
    @ParameterizedTest
    @ValueSource(strings = {"0 0 0 31 2 ?", "0 0 0 30 2 ?", "* * * ? * * 2000", "0 0 0 1 1 ? 1970-2020", "0 0 0 1 1 ? 2999", "0 0 0 1 1 ? 99999"})
    void refusesACronThatNeverFiresAgain(String cron) {
      assertThatThrownBy(() -> withCron(cron).validate(QUARTZ)).isInstanceOfSatisfying(ValidationException.class,
          e -> assertThat(e.fieldErrors()).containsOnlyKeys("cron").extractingByKey("cron").asString().contains("never fires"));
    }

    /** Quartz's first field is seconds: more than one second there backs up several times in every minute it fires. */
    @ParameterizedTest
    @ValueSource(strings = {"*/5 * * * * ?", "* * * * * ?", "0/30 * * * * ?", "0,30 0 3 * * ?", "0-1 0 3 * * ?", "* 0 3 ? * MON *",
        "58-1 * * * * ?", "5/10 * * * * ?", "50-10/20 0 3 * * ?"})
    void refusesACronThatFiresMoreOftenThanOnceAMinute(String cron) {
      assertThatThrownBy(() -> withCron(cron).validate(QUARTZ)).isInstanceOfSatisfying(ValidationException.class,
          e -> assertThat(e.fieldErrors()).containsOnlyKeys("cron").extractingByKey("cron").asString()
              .contains("'" + cron + "' fires more than once a minute", "first field, Quartz's seconds", "at most once a minute"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"30 * * * * ?", "0 * * * * ?", "59 */5 * * * ?", "* * * * *", "*/5 * * * *", "@hourly", "58-58 * * * * ?",
        "7 0 3 * * ?"})
    void acceptsACronThatFiresAtMostOnceAMinute(String cron) {
      InstanceForm.Valid valid = withCron(cron).validate(QUARTZ);

      assertThat(QUARTZ.next(valid.settings().schedule())).isPresent();
    }

    /** A hand-edited row: the numbers the form refuses are judged by the same ranges when read back. */
    @Test
    void marksAStoredInstanceWhoseTimeoutOrRetentionIsOutOfItsRange() {
      PiholeInstance timeout = new PiholeInstance(1, "Home", "home", Origin.UI, null, "https://pi.hole", TlsTrust.SYSTEM, 999_999_999,
          Schedule.DEFAULT, new io.piholecheckpoint.core.instance.RetentionPolicy(2, 0), false, true, false, false, PiholeInstance.Status.UNKNOWN);
      PiholeInstance kept = new PiholeInstance(1, "Home", "home", Origin.UI, null, "https://pi.hole", TlsTrust.SYSTEM, null,
          Schedule.DEFAULT, new io.piholecheckpoint.core.instance.RetentionPolicy(2_000_000_000, 0), false, true, false, false,
          PiholeInstance.Status.UNKNOWN);

      assertThat(InstanceRules.problemOf(timeout, QUARTZ)).contains("timeoutSeconds: the stored 999999999 is not a number of seconds from 1 to 3600"
          + " — edit the instance to fix it");
      assertThat(InstanceRules.problemOf(kept, QUARTZ)).contains("maxBackups: the stored 2000000000 is not a whole number from 0 to 100000"
          + " (0 = no limit) — edit the instance to fix it");
    }

    /** Checked again at every start: an older build stored it, and the instance is marked, the process is not stopped. */
    @ParameterizedTest
    @ValueSource(strings = {"58-1 * * * * ?", "* * * * * ?"})
    void marksAStoredInstanceWhoseCronFiresMoreOftenThanOnceAMinute(String cron) {
      PiholeInstance stored = new PiholeInstance(1, "Home", "home", Origin.UI, null, "https://pi.hole", TlsTrust.SYSTEM, null,
          new Schedule(Schedule.Kind.CRON, java.time.LocalTime.of(3, 0), java.time.DayOfWeek.SUNDAY, cron),
          new io.piholecheckpoint.core.instance.RetentionPolicy(2, 0), false, true, false, false, PiholeInstance.Status.UNKNOWN);

      assertThat(InstanceRules.problemOf(stored, QUARTZ)).get().asString().startsWith("schedule: The cron expression '" + cron + "' fires more")
          .endsWith("edit the instance to fix it");
    }

    /**
     * Outsider 50 F4: crontab separates fields by spaces or tabs; a tab-separated line was refused through one door and stored with its
     * tabs through another. One rule now: a tab is a separator, kept as a space, from the form, the API, the environment and a stored row.
     */
    @Test
    void aTabSeparatesCronFieldsAsASpaceDoesAndIsStoredAsOneWhereverTheLineComesFrom() {
      String tabbed = "30\t2\t*\t*\t1-5";
      EnvironmentSettings.Read env = EnvironmentSettings.check(new InstanceVariables("HOME", java.util.Map.of("URL", "http://10.0.0.5",
          "SCHEDULE", "cron", "CRON", tabbed), java.util.Optional.empty()), QUARTZ);
      PiholeInstance stored = new PiholeInstance(1, "Home", "home", Origin.UI, null, "https://pi.hole", TlsTrust.SYSTEM, null,
          new Schedule(Schedule.Kind.CRON, java.time.LocalTime.of(3, 0), java.time.DayOfWeek.SUNDAY, tabbed),
          new io.piholecheckpoint.core.instance.RetentionPolicy(2, 0), false, true, false, false, PiholeInstance.Status.UNKNOWN);

      assertThat(withCron(tabbed).validate(QUARTZ).settings().schedule().cron()).isEqualTo("30 2 * * 1-5");
      assertThat(env.problems()).isEmpty();
      assertThat(env.definition().schedule().cron()).isEqualTo("30 2 * * 1-5");
      assertThat(stored.schedule().cron()).isEqualTo("30 2 * * 1-5");
      assertThat(InstanceRules.problemOf(stored, QUARTZ)).isEmpty();
      assertThat(QUARTZ.next(stored.schedule())).isEqualTo(QUARTZ.next(withCron("30 2 * * 1-5").validate(QUARTZ).settings().schedule()));
    }

    /** A line break or a NUL is no separator: Java's \s took a line break for one, and what followed it was read as more fields. */
    @ParameterizedTest
    @ValueSource(strings = {"30\n2 * * *", "30 2\r\n* * *", "30 2 * * *\u00002", "30\u000b2 * * *"})
    void otherControlCharactersInACronAreRefusedNamingTheCharacter(String cron) {
      assertThatThrownBy(() -> withCron(cron).validate(QUARTZ)).isInstanceOfSatisfying(ValidationException.class,
          e -> assertThat(e.fieldErrors()).containsOnlyKeys("cron").extractingByKey("cron").asString()
              .containsPattern("a control character \\(U\\+00(0A|0D|00|0B)\\)").contains("separated by spaces or tabs"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 0 0 ? * 6#6", "0 0 0 32 * ?", "0 0 0 * * * *", "0 0 0 L-40 * ?", "x", "0 0 0 ? * MON-FOO",
        "0 0 0 1 * 1"})
    void refusesWhatQuartzCannotRead(String cron) {
      assertThatThrownBy(() -> withCron(cron).validate(QUARTZ)).isInstanceOfSatisfying(ValidationException.class,
          e -> assertThat(e.fieldErrors()).containsOnlyKeys("cron").extractingByKey("cron").asString().contains("seconds first"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 30 2 * * ?", "0 0 0 L * ?", "0 0 0 LW * ?", "0 0 0 15W * ?", "0 0 12 ? * 6#3", "0 0 0 ? * 6L", "0 0 0 L-3 * ?",
        "0 0 0 29 2 ?", "0 0/15 * * * ?", "0 0 0 1 1 ? 2030-2099", "0 0 0 ? * MON-FRI *"})
    void acceptsEveryFormThatFires(String cron) {
      InstanceForm.Valid valid = withCron(cron).validate(QUARTZ);

      assertThat(QUARTZ.next(valid.settings().schedule())).isPresent();
    }
  }

  @Nested
  class Urls {
    @ParameterizedTest
    @ValueSource(strings = {"http://user:pass@pi.hole", "http://user@pi.hole", "https://:secret@10.0.0.2/admin", "http://[::1", "http://pi hole",
        "http://169.254.169.254", "http://169.254.0.1:8080/", "http://[fe80::1]", "http://[febf::1]", "http://0.0.0.0", "http://[::]",
        "http://[::ffff:169.254.1.1]", "http://2852039166", "http://0xA9FEA9FE", "http://0251.0376.0251.0376", "http://169.254.1",
        "http://224.0.0.1", "http://255.255.255.255", "http://pi.hole:99999", "http://pi.hole:0", "http://pi_hole.lan", "ftp://pi.hole",
        "pi.hole", "http://pi.hole\r\nX-Injected: 1", "http://-pi.hole", "javascript:alert(1)", "http://[zz::1]"})
    void refuses(String url) {
      assertThatThrownBy(() -> form("Home", url, "daily", "").validate(QUARTZ)).isInstanceOfSatisfying(ValidationException.class,
          e -> assertThat(e.fieldErrors()).containsOnlyKeys("url"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://192.168.1.2", "http://10.0.0.2:8080/admin", "https://pi.hole", "http://[fd00::2]", "http://localhost",
        "http://127.0.0.1:9", "http://[::1]:8080", "https://pi-hole.home.arpa/pihole", "http://172.16.0.1", "http://100.64.0.1/",
        "https://PI.HOLE./"})
    void acceptsPrivateAndLoopbackAddresses(String url) {
      // stored with its host in lower case (RFC 3986: case-insensitive), as every form, variable and API call stores it
      assertThat(form("Home", url, "daily", "").validate(QUARTZ).settings().url()).isEqualTo(url.replaceAll("/+$", "").replace("PI.HOLE", "pi.hole"));
    }

    @ParameterizedTest
    @CsvSource({
        "https://pihole.bücher.example, https://pihole.xn--bcher-kva.example",
        "http://Pi-Hole.BÜCHER.example:8080/admin, http://pi-hole.xn--bcher-kva.example:8080/admin",
        "https://日本.example, https://xn--wgv71a.example",
        "https://pi.hole, https://pi.hole"})
    void anInternationalHostNameIsAcceptedAndStoredInItsAsciiForm(String typed, String stored) {
      assertThat(form("Home", typed, "daily", "").validate(QUARTZ).settings().url()).isEqualTo(stored);
    }

    @Test
    void anInternationalHostNameInTheEnvironmentIsKeptInItsAsciiFormToo() {
      EnvironmentSettings.Read read = EnvironmentSettings.check(
          new InstanceVariables("HOME", java.util.Map.of("URL", "https://pihole.bücher.example/"), java.util.Optional.empty()), QUARTZ);

      assertThat(read.problems()).isEmpty();
      assertThat(read.definition().url()).isEqualTo("https://pihole.xn--bcher-kva.example");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://bü cher.example", "https://ü..example", "https://user@bücher.example"})
    void anInternationalHostThatIsNoNameIsStillRefused(String url) {
      assertThatThrownBy(() -> form("Home", url, "daily", "").validate(QUARTZ)).isInstanceOfSatisfying(ValidationException.class,
          e -> assertThat(e.fieldErrors()).containsOnlyKeys("url"));
    }

    @Test
    void aNameFromTheEnvironmentThatIsRefusedIsReportedInTheNameRulesOwnWords() {
      EnvironmentSettings.Read read = EnvironmentSettings.check(
          new InstanceVariables("X", java.util.Map.of("URL", "http://10.0.0.5", "NAME", "Ho\u200bme"), java.util.Optional.empty()), QUARTZ);

      assertThat(read.definition().name()).isEqualTo(InstanceSettings.defaultName("X"));
      assertThat(read.problems()).singleElement().asString().startsWith("PIHOLE_X_NAME='Ho\u200bme': A name cannot contain U+200B, an invisible")
          .endsWith("Using '" + InstanceSettings.defaultName("X") + "'.").doesNotContain("printable characters");
    }

    @Test
    void bytesLostInDecodingTheEnvironmentAreReportedForTheNameAndThePasswordWithoutShowingIt() {
      EnvironmentSettings.Read read = EnvironmentSettings.check(new InstanceVariables("X", java.util.Map.of("URL", "http://10.0.0.5",
          "NAME", "H\uFFFD\uFFFDme", "PASSWORD", "se\uFFFDcret77"), java.util.Optional.empty()), QUARTZ);

      assertThat(read.definition().name()).isEqualTo(InstanceSettings.defaultName("X"));
      assertThat(read.problems()).hasSize(2).allSatisfy(p -> assertThat(p).contains("U+FFFD", "LANG=C.UTF-8").doesNotContain("cret77"));
      assertThat(read.problems()).anySatisfy(p -> assertThat(p).startsWith("PIHOLE_X_PASSWORD holds U+FFFD").contains("sign-in will fail"));
    }

    @Test
    void aPasswordInAnEnvironmentUrlIsCutOutAndTheInstanceStaysMarked() {
      EnvironmentSettings.Read read = EnvironmentSettings.check(
          new InstanceVariables("X", java.util.Map.of("URL", "http://admin:EnvUrl/Se#cret77@10.0.0.5/"), java.util.Optional.empty()), QUARTZ);

      assertThat(read.definition().url()).isEqualTo("http://***@10.0.0.5");
      assertThat(InstanceRules.url(read.definition().url())).get().asString().contains("Leave the user name and password out");
      assertThat(read.problems()).singleElement().asString().startsWith("PIHOLE_X_URL='http://***@10.0.0.5': ").contains("PIHOLE_X_PASSWORD")
          .doesNotContain("EnvUrl").doesNotContain("cret77").doesNotContain("admin");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http://admin:pw@10.0.0.5|http://***@10.0.0.5",
        "https://u@pi.hole:8443/admin|https://***@pi.hole:8443/admin",
        "admin:pw@pi.hole|***@pi.hole",
        "http://pi.hole/admin|http://pi.hole/admin"})
    void withoutUserInfoKeepsEverythingButTheUserAndPassword(String given, String shown) {
      assertThat(UrlText.withoutUserInfo(given)).isEqualTo(shown);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http://127.0.0.1:18801/?password=hunter3pw|http://127.0.0.1:18801/?***",
        "http://127.0.0.1:18801/admin#hunter6pw|http://127.0.0.1:18801/admin#***",
        "http://admin:pw@10.0.0.5/?token=t|http://***@10.0.0.5/?***",
        "http://u:p?w@10.0.0.5/#f|http://***@10.0.0.5/#***",
        "http://pi.hole/admin|http://pi.hole/admin"})
    void maskedHidesTheUserInfoTheQueryAndTheFragment(String given, String shown) {
      assertThat(UrlText.masked(given)).isEqualTo(shown);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:18801/?password=hunter3pw", "http://127.0.0.1:18801/#hunter6pw", "https://pi.hole?",
        "http://pi.hole/admin/?***"})
    void anAddressWithAQueryOrFragmentIsToldSo(String url) {
      assertThat(InstanceRules.url(url)).get().asString().startsWith("Leave the query (?…) and fragment (#…) out of the address")
          .doesNotContain("hunter").doesNotContain("starting with http");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http://10.0.0.5:99999999999|A port is a number from 1 to 65535.",
        "http://10.0.0.5:65536|A port is a number from 1 to 65535.",
        "http://[fd00::2]:99999999999|A port is a number from 1 to 65535.",
        "http://10.0.0.15/pihole/../admin|cannot contain . or .. parts",
        "http://10.0.0.15/./admin|cannot contain . or .. parts",
        "http://10.0.0.15/pihole/%2e%2e/admin|cannot contain . or .. parts"})
    void refusesLoosePortsAndDotSegmentsWithTheirOwnMessage(String url, String message) {
      assertThat(InstanceRules.url(url)).get().asString().contains(message);
    }

    @Test
    void aHostNameLongerThanDnsCarriesIsRefusedAndOneAtTheLimitKept() {
      String label = "a".repeat(63);
      String tooLong = String.join(".", label, label, label, label + "b"); // 256 characters
      String atLimit = String.join(".", label, label, label, "a".repeat(61)); // 253

      assertThat(InstanceRules.url("http://" + tooLong)).get().asString().contains("at most 253 characters, this one has 256");
      assertThat(InstanceRules.url("http://" + atLimit)).isEmpty();
      assertThat(InstanceRules.url("http://" + atLimit + ".")).isEmpty();
    }

    @Test
    void namesTheProblemOfAUserInfoUrlWithoutRepeatingThePassword() {
      assertThatThrownBy(() -> form("Home", "http://admin:hunter2@pi.hole", "daily", "").validate(QUARTZ))
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors().get("url"))
              .contains("Leave the user name and password out of the address").doesNotContain("hunter2"));
    }
  }

  @Nested
  class Names {
    @ParameterizedTest
    @ValueSource(strings = {"Home\r\n2026-12-02 INFO forged line", "Ho\nme", "Tab\there", "Be\u0007ll", "\u202Eevil", "Line\u2028break", "",
        "   ", "012345678901234567890123456789012345678901234567890123456789x"})
    void refusesControlCharactersAndBadLengths(String name) {
      assertThatThrownBy(() -> form(name, "http://pi.hole", "daily", "").validate(QUARTZ)).isInstanceOfSatisfying(ValidationException.class,
          e -> assertThat(e.fieldErrors()).containsOnlyKeys("name"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Küche Pi-hole", "Home (2)", "家", "  padded  ", "Ünïcödé ✓"})
    void acceptsPrintableText(String name) {
      assertThat(form(name, "http://pi.hole", "daily", "").validate(QUARTZ).settings().name()).isEqualTo(name.trim());
    }

    @Test
    void countsCharactersAsAPersonDoesAnEmojiIsOne() {
      String sixty = "\uD83C\uDF55".repeat(60); // 60 pizzas, 120 UTF-16 units

      assertThat(form(sixty, "http://pi.hole", "daily", "").validate(QUARTZ).settings().name()).isEqualTo(sixty);
      assertThatThrownBy(() -> form(sixty + "x", "http://pi.hole", "daily", "").validate(QUARTZ)).isInstanceOfSatisfying(ValidationException.class,
          e -> assertThat(e.fieldErrors().get("name")).isEqualTo("Give it a name of 1 to 60 characters (this one has 61)."));
    }

    @Test
    void refusesFormatCharactersBeyondTheBasicPlane() {
      assertThatThrownBy(() -> form("Home\uDB40\uDC01", "http://pi.hole", "daily", "").validate(QUARTZ))
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors()).containsOnlyKeys("name"));
    }

    @Test
    void otherLimitsOnTextCountCharactersToo() {
      String url = "http://pi.hole/" + "\u00e9".repeat(2048 - 15);

      assertThat(InstanceRules.url(url).orElse("")).doesNotContain("too long");
      assertThat(InstanceRules.url(url + "\u00e9")).hasValueSatisfying(m -> assertThat(m).contains("at most 2048 characters, this one has 2049"));
      assertThat(InstanceRules.cronText("0 3 * * *" + " ".repeat(100) + "\uD83C\uDF55".repeat(91))).isEmpty();
      assertThat(InstanceRules.characters("\uD83C\uDF55")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Home\uFFFE", "\uFFFFHome", "Ho\uE000me", "Home \uDB80\uDC00", "Ho\uFDD0me", "Home\uD800"})
    void aNoncharacterOrPrivateUseCharacterIsRefusedNamingIt(String name) {
      assertThat(InstanceNames.problem(name)).get().asString().startsWith("A name cannot contain U+")
          .endsWith("use letters, digits, spaces and punctuation.");
    }

    @Test
    void aNonBreakingSpaceIsNamedAndThePlainSpaceSuggested() {
      assertThat(InstanceNames.problem("Home\u00a0Pi")).hasValue("A name cannot contain a non-breaking space (U+00A0): use the plain space instead.");
      assertThat(InstanceNames.problem("Home\u202fPi")).get().asString().contains("narrow non-breaking space (U+202F)");
    }

    @Test
    void aWordMixingScriptsIsRefusedButWordsOfOneScriptEachAreNot() {
      assertThat(InstanceNames.problem("Home \u0440i")).hasValue("A word of a name cannot mix scripts: \"\u0440i\" mixes Cyrillic and Latin letters, so it"
          + " looks like another name. Write each word in one script.");
      assertThat(InstanceNames.problem("K\u00fcche \u041a\u0443\u0445\u043d\u044f")).isEmpty();
      assertThat(InstanceNames.problem("\u6771\u4eac\u306e\u30d1\u30bd\u30b3\u30f3 Pi")).isEmpty();
      assertThat(InstanceNames.problem("Pi\u5bb6")).as("Latin with Han, as Japanese and Chinese are written").isEmpty();
    }
  }

  @Nested
  class Secrets {
    private InstanceForm withSecrets(String password, String totpSecret) {
      InstanceForm b = form("Home", "http://pi.hole", "daily", "");
      return new InstanceForm(b.name(), b.url(), password, totpSecret, b.tlsMode(), b.caPem(), b.fingerprint(), b.timeoutSeconds(), b.scheduleKind(),
          b.time(), b.day(), b.cron(), b.maxBackups(), b.maxAgeDays(), b.keepDaily(), b.keepWeekly(), b.keepMonthly(), false, true);
    }

    @Test
    void aPasswordOrTotpSecretAtItsLimitIsKept() {
      InstanceForm.Valid valid = withSecrets("p".repeat(1024), "A".repeat(128)).validate(QUARTZ);

      assertThat(valid.password()).hasValueSatisfying(p -> assertThat(p).hasSize(1024));
      assertThat(valid.totpSecret()).hasValueSatisfying(t -> assertThat(t).hasSize(128));
    }

    @Test
    void aPasswordOrTotpSecretBeyondItsLimitIsRefusedNamingTheLimitAndNeverQuoted() {
      String megabyte = "x".repeat(1024 * 1024);

      assertThatThrownBy(() -> withSecrets(megabyte, "A".repeat(129)).validate(QUARTZ)).isInstanceOfSatisfying(ValidationException.class, e -> {
        assertThat(e.fieldErrors().get("password")).isEqualTo("A password has at most 1024 characters (this one has 1048576).");
        assertThat(e.fieldErrors().get("totpSecret")).isEqualTo("A TOTP secret has at most 128 characters (this one has 129); Pi-hole's own have 32.");
      });
    }

    @Test
    void anEnvironmentTotpSecretBeyondTheLimitIsNotBase32Enough() {
      assertThat(InstanceSettings.TOTP_SECRET.read("A".repeat(128))).isPresent();
      assertThat(InstanceSettings.TOTP_SECRET.read("A".repeat(129))).isEmpty();
    }
  }

  @Nested
  class CaCertificates {
    private InstanceForm withCa(String pem) {
      InstanceForm b = form("Home", "https://pi.hole", "daily", "");
      return new InstanceForm(b.name(), b.url(), b.password(), null, "ca", pem, "", "", b.scheduleKind(), b.time(), b.day(), "", b.maxBackups(),
          b.maxAgeDays(), "0", "0", "0", false, true);
    }

    @Test
    void refusesAPemThatIsNotACertificate() {
      String pem = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n";

      assertThatThrownBy(() -> withCa(pem).validate(QUARTZ)).isInstanceOfSatisfying(ValidationException.class,
          e -> assertThat(e.fieldErrors()).containsOnlyKeys("caPem").extractingByKey("caPem").asString().contains("X.509"));
    }

    @Test
    void acceptsTheCaAPiholeMakes() throws Exception {
      String pem = Files.readString(TestCertificates.forLoopback().pem());

      assertThat(withCa(pem).validate(QUARTZ).settings().tls().caPem()).isEqualTo(pem.trim());
    }
  }

  @Test
  void logTextEscapesLineBreaksAndControlCharacters() {
    assertThat(LogText.of("Home\r\nINFO forged\u0000\u202E").toString()).isEqualTo("Home\\r\\nINFO forged\\u0000\\u202e");
    assertThat(LogText.of(null).toString()).isEqualTo("null");
    assertThat(LogText.of("x".repeat(10_000)).toString()).hasSizeLessThan(600);
  }

  @Test
  void aPiholesOwnErrorTextCannotForgeALogLine() {
    var e = new io.piholecheckpoint.core.gateway.PiholeException(io.piholecheckpoint.core.gateway.PiholeException.Failure.SERVER_ERROR,
        "Pi-hole 'Home' answered: bad\r\n2026-12-02 INFO forged");

    assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r").endsWith("bad\\r\\n2026-12-02 INFO forged");
  }

  @Test
  void aDecomposedNameIsTheSameNameAndStoredComposed() {
    String decomposed = "cafe\u0301";

    assertThat(InstanceNames.problem(decomposed)).isEmpty();
    assertThat(form(decomposed, "http://pi.hole", "daily", "").validate(QUARTZ).settings().name()).isEqualTo("caf\u00e9");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\uD83D\uDC68\u200D\uD83D\uDC69", "Family \uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67",
      "\u2764\uFE0F\u200D\uD83D\uDD25", "\uD83D\uDC4B\uD83C\uDFFD\u200D\u2642", "\uD83C\uDDE9\uD83C\uDDEA",
      "\uD83C\uDFF4\uDB40\uDC67\uDB40\uDC62\uDB40\uDC65\uDB40\uDC6E\uDB40\uDC67\uDB40\uDC7F"})
  void emojiSequencesAreNamesCountedByTheirParts(String name) {
    assertThat(InstanceNames.problem(name)).isEmpty();
    assertThat(InstanceNames.problem(name.repeat(60))).get().asString().contains("this one has " + InstanceRules.characters(name) * 60);
  }

  @ParameterizedTest
  @ValueSource(strings = {"HO\u200DME", "\u200DHome", "Home\u200D", "\uD83D\uDC68\u200D", "a\u200Db", "Home\uDB40\uDC67\uDB40\uDC7F",
      "\uD83C\uDFF4\uDB40\uDC67\uDB40\uDC7F\uDB40\uDC67"})
  void aJoinerOrTagOutsideAnEmojiSequenceIsStillRefusedAsAnInvisibleCharacter(String name) {
    assertThat(InstanceNames.problem(name)).get().asString().startsWith("A name cannot contain U+").contains("invisible (format) character");
  }

  @Test
  void invisibleAndBidiCharactersAreNamedForWhatTheyAreWithTheirCodePoint() {
    assertThat(InstanceNames.problem("Ho\u200bme")).hasValue("A name cannot contain U+200B, an invisible (format) character, which would make"
        + " two names that look the same: remove it.");
    assertThat(InstanceNames.problem("Ho\u00adme")).get().asString().startsWith("A name cannot contain U+00AD, an invisible");
    assertThat(InstanceNames.problem("Ho\ufeffme")).get().asString().startsWith("A name cannot contain U+FEFF, an invisible");
    assertThat(InstanceNames.problem("Home\u202eiP")).get().asString().startsWith("A name cannot contain U+202E, a bidirectional control");
    assertThat(InstanceNames.problem("Home\nPi")).hasValue("A name cannot contain line breaks, tabs or other control characters.");
  }

  @Test
  void aNameCannotStartWithABareCombiningMark() {
    assertThat(InstanceNames.problem("\u0301abc")).hasValue("A name cannot start with U+0301, a combining mark on its own: a mark needs a letter"
        + " before it.");
    assertThat(InstanceNames.problem(" \u20dd Pi")).get().asString().contains("U+20DD");
    assertThat(InstanceNames.problem("abc\u0301")).isEmpty();
  }

  @Test
  void aNameCannotHaveACombiningMarkRightAfterASpace() {
    assertThat(InstanceNames.problem("Home \u0301Pi")).hasValue("A name cannot have U+0301, a combining mark, right after a space: a mark"
        + " needs a letter before it.");
    assertThat(InstanceNames.problem("Pi \u20dd")).get().asString().contains("U+20DD");
    assertThat(InstanceNames.problem("Caf\u00e9 Pi\u0301")).as("a mark on a letter, after a space further back").isEmpty();
    assertThat(InstanceNames.problem("Home 2")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"H\uFFFD\uFFFDme", "bad\uFFFD\uFFFD", "\uFFFD"})
  void aReplacementCharacterIsRefusedAsBytesLostInDecoding(String name) {
    assertThat(InstanceNames.problem(name)).get().asString().startsWith("A name cannot contain U+FFFD, the replacement character")
        .contains("not valid text in the character set", "Write the name in UTF-8", "LANG=C.UTF-8");
  }

  @Test
  void aFullWidthLookAlikeNameIsRefusedWithItsPlainForm() {
    assertThat(InstanceNames.problem("\uff28\uff2f\uff2d\uff25")).get().asString().contains("full-width", "HOME");
    assertThat(InstanceNames.problem("K\u00fcche Pi")).isEmpty();
  }
}
