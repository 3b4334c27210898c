package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.notify.NotifyEvent;
import io.piholecheckpoint.notify.Outbound;
import io.piholecheckpoint.notify.Provider;
import io.piholecheckpoint.testing.RecordingPause;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class NotificationSetupTest {
  private final Outbound outbound = new Outbound(new RecordingPause());

  @TempDir
  Path dir;

  @Test
  void usesEveryCompleteProviderAndNamesTheVariableOfEachIncompleteOne() throws Exception {
    Path token = Files.writeString(dir.resolve("gotify"), "AppToken\n");
    NotificationSetup setup = NotificationSetup.from(Map.of(
        "NOTIFY_DISCORD_WEBHOOK_URL", "https://discord.example/api/webhooks/1/x",
        "NOTIFY_GOTIFY_URL", "https://gotify.lan", "NOTIFY_GOTIFY_TOKEN_FILE", token.toString(),
        "NOTIFY_TELEGRAM_BOT_TOKEN", "123:abc",
        "NOTIFY_HOMEASSISTANT_URL", "http://ha.lan:8123",
        "NOTIFY_EMAIL_HOST", "smtp.example", "NOTIFY_EMAIL_TO", "me@example.org", "NOTIFY_EMAIL_SECURITY", "ssl"), outbound);

    assertThat(setup.providers()).extracting(Provider::name).containsExactly("discord", "gotify");
    assertThat(setup.problems()).containsExactlyInAnyOrder(
        "NOTIFY_TELEGRAM_BOT_TOKEN is set but NOTIFY_TELEGRAM_CHAT_ID is not: set it too",
        "NOTIFY_HOMEASSISTANT_URL is set but neither NOTIFY_HOMEASSISTANT_WEBHOOK_ID nor NOTIFY_HOMEASSISTANT_TOKEN: set one",
        "NOTIFY_EMAIL_SECURITY='ssl' must be starttls, tls or none");
  }

  @Test
  void switchesCooldownAndDiskWarningHaveDefaultsAndBadValuesAreReportedNotFatal() {
    NotificationSetup defaults = NotificationSetup.from(Map.of(), outbound);
    assertThat(defaults.enabled()).contains(NotifyEvent.BACKUP_FAILED, NotifyEvent.STALE).doesNotContain(NotifyEvent.BACKUP_SUCCEEDED);
    assertThat(defaults.cooldown()).isEqualTo(Duration.ofHours(6));
    assertThat(defaults.diskWarnPercent()).isEqualTo(10);
    assertThat(defaults.problems()).isEmpty();

    NotificationSetup custom = NotificationSetup.from(Map.of("NOTIFY_ON_BACKUP_SUCCEEDED", "yes", "NOTIFY_ON_STALE", "off",
        "NOTIFY_COOLDOWN", "90m", "DISK_WARN_PERCENT", "5"), outbound);
    assertThat(custom.enabled()).contains(NotifyEvent.BACKUP_SUCCEEDED).doesNotContain(NotifyEvent.STALE);
    assertThat(custom.cooldown()).isEqualTo(Duration.ofMinutes(90));
    assertThat(custom.diskWarnPercent()).isEqualTo(5);

    NotificationSetup broken = NotificationSetup.from(Map.of("NOTIFY_ON_STALE", "maybe", "NOTIFY_COOLDOWN", "soon",
        "DISK_WARN_PERCENT", "150"), outbound);
    assertThat(broken.enabled()).contains(NotifyEvent.STALE);
    assertThat(broken.cooldown()).isEqualTo(Duration.ofHours(6));
    assertThat(broken.diskWarnPercent()).isEqualTo(10);
    assertThat(broken.problems()).hasSize(3).anySatisfy(p -> assertThat(p).startsWith("NOTIFY_ON_STALE='maybe'"))
        .anySatisfy(p -> assertThat(p).startsWith("NOTIFY_COOLDOWN='soon'")).anySatisfy(p -> assertThat(p).startsWith("DISK_WARN_PERCENT='150'"));
  }

  @Test
  void everyBadSettingIsNamedInOneMessageAndNoneStopsTheStart() {
    NotificationSetup setup = NotificationSetup.from(Map.of(
        "NOTIFY_DISCORD_WEBHOOK_URL", "discord.example/api/webhooks/1/x",
        "NOTIFY_NTFY_URL", "ftp://ntfy.lan", "NOTIFY_NTFY_TOPIC", "pihole",
        "NOTIFY_WEBHOOK_URL", "https://hooks.lan/x", "NOTIFY_WEBHOOK_METHOD", "PO ST",
        "NOTIFY_EMAIL_HOST", "smtp.example", "NOTIFY_EMAIL_TO", "me@example.org, nobody",
        "NOTIFY_SLAK_WEBHOOK_URL", "https://hooks.slack.com/x",
        "NOTIFY_SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T/B/x",
        "NOTIFY_COOLDOWN", "soon"), outbound);

    assertThat(setup.providers()).extracting(Provider::name).containsExactly("slack");
    assertThat(setup.problems()).hasSize(6);
    assertThat(setup.summary()).hasValueSatisfying(message -> assertThat(message).startsWith("6 settings are not used as given")
        .contains("NOTIFY_DISCORD_WEBHOOK_URL is not an http:// or https:// address").doesNotContain("webhooks/1/x")
        .contains("NOTIFY_NTFY_URL (ftp://ntfy.lan) is not an http:// or https:// address: it does not start with http:// or https://").contains("NOTIFY_WEBHOOK_METHOD='PO ST'")
        .contains("NOTIFY_EMAIL_TO: nobody is not an e-mail address").contains("NOTIFY_SLAK_WEBHOOK_URL is not a notification setting")
        .contains("NOTIFY_COOLDOWN='soon'"));
    assertThat(NotificationSetup.from(Map.of(), outbound).summary()).isEmpty();
  }

  @Test
  void anAddressThatCannotBeReadIsNamedByItsHostNeverWithTheTokenItMayCarry() {
    NotificationSetup setup = NotificationSetup.from(Map.of(
        "NOTIFY_NTFY_URL", "https://alice:SECRETpw@ntfy.lan/|", "NOTIFY_NTFY_TOPIC", "pihole",
        "NOTIFY_GOTIFY_URL", "https://gotify.lan/?token=SECRET tok", "NOTIFY_GOTIFY_TOKEN", "t"), outbound);

    assertThat(setup.providers()).isEmpty();
    assertThat(String.join("\n", setup.problems())).doesNotContain("SECRET").contains(
        "NOTIFY_NTFY_URL (https://ntfy.lan) is not an http:// or https:// address: it cannot be read as an address (Illegal character in path",
        "NOTIFY_GOTIFY_URL (https://gotify.lan) is not an http:// or https:// address");
  }

  @Test
  void everyWebhookAddressAndHeaderTakesAFileAsTheOtherSecretsDo() throws Exception {
    Path hook = Files.writeString(dir.resolve("hook"), "https://discord.com/api/webhooks/123/abc\n");
    Path headers = Files.writeString(dir.resolve("headers"), "Authorization: Bearer t0k\n");
    NotificationSetup setup = NotificationSetup.from(Map.of(
        "NOTIFY_DISCORD_WEBHOOK_URL_FILE", hook.toString(), "NOTIFY_SLACK_WEBHOOK_URL_FILE", hook.toString(),
        "NOTIFY_WEBHOOK_URL_FILE", hook.toString(), "NOTIFY_WEBHOOK_HEADERS_FILE", headers.toString(),
        "NOTIFY_HOMEASSISTANT_URL", "http://ha.lan:8123", "NOTIFY_HOMEASSISTANT_WEBHOOK_ID_FILE", hook.toString()), outbound);

    assertThat(setup.problems()).isEmpty();
    assertThat(setup.providers()).extracting(Provider::name).containsExactlyInAnyOrder("discord", "slack", "webhook", "homeassistant");
  }

  @Test
  void anEmptyOrMissingWebhookFileIsNamedAsSuchNotAsAnUnknownSetting() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty"), "");
    NotificationSetup setup = NotificationSetup.from(Map.of("NOTIFY_DISCORD_WEBHOOK_URL_FILE", empty.toString(),
        "NOTIFY_SLACK_WEBHOOK_URL_FILE", dir.resolve("missing").toString()), outbound);

    assertThat(setup.providers()).isEmpty();
    assertThat(setup.problems()).hasSize(2)
        .anySatisfy(p -> assertThat(p).isEqualTo("NOTIFY_DISCORD_WEBHOOK_URL_FILE=" + empty + " names an empty file; put the secret in it"))
        .anySatisfy(p -> assertThat(p).startsWith("NOTIFY_SLACK_WEBHOOK_URL_FILE=" + dir.resolve("missing")))
        .noneSatisfy(p -> assertThat(p).contains("not a notification setting"));
  }

  @Nested
  class NamesOfPiholeCheckpoint1x {
    /** A complete configuration of each provider, by the middle of its variables' names. */
    private static final Map<String, Map<String, String>> CONFIGURED = Map.of(
        "DISCORD", Map.of("NOTIFY_DISCORD_WEBHOOK_URL", "https://discord.example/api/webhooks/1/x"),
        "SLACK", Map.of("NOTIFY_SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T/B/x"),
        "TELEGRAM", Map.of("NOTIFY_TELEGRAM_BOT_TOKEN", "123:abc", "NOTIFY_TELEGRAM_CHAT_ID", "42"),
        "PUSHBULLET", Map.of("NOTIFY_PUSHBULLET_API_KEY", "o.key"),
        "HOMEASSISTANT", Map.of("NOTIFY_HOMEASSISTANT_URL", "http://ha.lan:8123", "NOTIFY_HOMEASSISTANT_WEBHOOK_ID", "hook"),
        "NTFY", Map.of("NOTIFY_NTFY_URL", "https://ntfy.sh", "NOTIFY_NTFY_TOPIC", "pihole"),
        "GOTIFY", Map.of("NOTIFY_GOTIFY_URL", "https://gotify.lan", "NOTIFY_GOTIFY_TOKEN", "AppToken"),
        "WEBHOOK", Map.of("NOTIFY_WEBHOOK_URL", "https://hooks.lan/x"),
        "EMAIL", Map.of("NOTIFY_EMAIL_HOST", "smtp.example", "NOTIFY_EMAIL_TO", "me@example.org"));

    private NotificationSetup setup(Map<String, String> base, String... more) {
      Map<String, String> env = new HashMap<>(base);
      for (int i = 0; i < more.length; i += 2) {
        env.put(more[i], more[i + 1]);
      }
      return NotificationSetup.from(env, outbound);
    }

    @ParameterizedTest
    @ValueSource(strings = {"DISCORD", "SLACK", "TELEGRAM", "PUSHBULLET", "HOMEASSISTANT", "NTFY", "GOTIFY", "WEBHOOK", "EMAIL"})
    void enabledFalseSwitchesAConfiguredProviderOff(String provider) {
      Map<String, String> configured = CONFIGURED.get(provider);
      String name = provider.toLowerCase(Locale.ROOT);

      NotificationSetup off = setup(configured, "NOTIFY_" + provider + "_ENABLED", "false");
      NotificationSetup on = setup(configured, "NOTIFY_" + provider + "_ENABLED", "true");
      NotificationSetup unset = setup(configured);

      assertThat(off.providers()).as("switched off").isEmpty();
      assertThat(off.problems()).as("the switch is a known setting").isEmpty();
      assertThat(on.providers()).extracting(Provider::name).containsExactly(name);
      assertThat(on.problems()).isEmpty();
      assertThat(unset.providers()).as("unset: a configured provider is used, as before").extracting(Provider::name).containsExactly(name);
    }

    @Test
    void everyProviderHasItsSwitch() {
      assertThat(NotifyAliases.PROVIDERS).containsExactlyInAnyOrderElementsOf(CONFIGURED.keySet());
    }

    @Test
    void aProviderSwitchedOffIsNotCheckedForMissingVariables() {
      NotificationSetup setup = setup(Map.of("NOTIFY_TELEGRAM_ENABLED", "false", "NOTIFY_TELEGRAM_BOT_TOKEN", "123:abc"));

      assertThat(setup.providers()).isEmpty();
      assertThat(setup.problems()).isEmpty();
    }

    @Test
    void aProviderSwitchedOnWithoutAnyOfItsVariablesIsNamed() {
      NotificationSetup setup = setup(Map.of("NOTIFY_DISCORD_ENABLED", "true", "NOTIFY_SLACK_ENABLED", "maybe"));

      assertThat(setup.providers()).isEmpty();
      assertThat(setup.problems()).containsExactlyInAnyOrder(
          "NOTIFY_DISCORD_ENABLED is true but no NOTIFY_DISCORD_… variable is set: configure it (see the README) or remove NOTIFY_DISCORD_ENABLED",
          "NOTIFY_SLACK_ENABLED='maybe' must be true or false; using true");
    }

    @ParameterizedTest
    @CsvSource({
        "NOTIFY_ON_FAILURE, BACKUP_FAILED RESTORE_FAILED",
        "NOTIFY_ON_SUCCESS, BACKUP_SUCCEEDED RESTORE_SUCCEEDED",
        "NOTIFY_ON_CONNECTION_LOST, UNREACHABLE"})
    void aSwitchOf1xSwitchesTheEventsItCoveredAndNoOther(String alias, String events) {
      Set<NotifyEvent> covered = Arrays.stream(events.split(" ")).map(NotifyEvent::valueOf).collect(Collectors.toSet());
      NotificationSetup defaults = setup(Map.of());

      for (boolean value : new boolean[] {true, false}) {
        NotificationSetup setup = setup(Map.of(alias, Boolean.toString(value)));

        assertThat(setup.problems()).as("a known setting").isEmpty();
        for (NotifyEvent e : NotifyEvent.values()) {
          boolean expected = covered.contains(e) ? value : defaults.enabled().contains(e);
          assertThat(setup.enabled().contains(e)).as(alias + "=" + value + ": " + e.name()).isEqualTo(expected);
        }
      }
    }

    @Test
    void ourNameWinsOverThe1xNameAndTheWarningSaysSoOnce() {
      NotificationSetup setup = setup(Map.of("NOTIFY_ON_FAILURE", "false", "NOTIFY_ON_BACKUP_FAILED", "true",
          "NOTIFY_ON_CONNECTION_LOST", "true", "NOTIFY_ON_UNREACHABLE", "false"));

      assertThat(setup.enabled()).as("ours win").contains(NotifyEvent.BACKUP_FAILED).doesNotContain(NotifyEvent.UNREACHABLE);
      assertThat(setup.enabled()).as("the 1.x switch still covers what ours does not").doesNotContain(NotifyEvent.RESTORE_FAILED);
      assertThat(setup.problems()).containsExactlyInAnyOrder(
          "NOTIFY_ON_BACKUP_FAILED and NOTIFY_ON_FAILURE (the Pi-hole Checkpoint 1.x name) are both set: NOTIFY_ON_BACKUP_FAILED is used"
              + " for backup_failed; remove one",
          "NOTIFY_ON_UNREACHABLE and NOTIFY_ON_CONNECTION_LOST (the Pi-hole Checkpoint 1.x name) are both set: NOTIFY_ON_UNREACHABLE is used"
              + " for unreachable; remove one");
      assertThat(setup.summary()).hasValueSatisfying(s -> assertThat(s).startsWith("2 settings are not used as given"));
    }

    @Test
    void aBad1xValueIsNamedAndTheDefaultKept() {
      NotificationSetup setup = setup(Map.of("NOTIFY_ON_SUCCESS", "sometimes"));

      assertThat(setup.enabled()).doesNotContain(NotifyEvent.BACKUP_SUCCEEDED).contains(NotifyEvent.RESTORE_SUCCEEDED);
      assertThat(setup.problems()).containsExactly("NOTIFY_ON_SUCCESS='sometimes' must be true or false; backup_succeeded and"
          + " restore_succeeded keep their defaults");
  }
  }
}
