package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.notify.NotifyEvent;
import io.piholecheckpoint.notify.Outbound;
import io.piholecheckpoint.notify.Provider;
import io.piholecheckpoint.testing.RecordingPause;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
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
        .contains("NOTIFY_DISCORD_WEBHOOK_URL='discord.example/api/webhooks/1/x' is not an http:// or https:// address")
        .contains("NOTIFY_NTFY_URL='ftp://ntfy.lan'").contains("NOTIFY_WEBHOOK_METHOD='PO ST'")
        .contains("NOTIFY_EMAIL_TO: nobody is not an e-mail address").contains("NOTIFY_SLAK_WEBHOOK_URL is not a notification setting")
        .contains("NOTIFY_COOLDOWN='soon'"));
    assertThat(NotificationSetup.from(Map.of(), outbound).summary()).isEmpty();
  }
}
