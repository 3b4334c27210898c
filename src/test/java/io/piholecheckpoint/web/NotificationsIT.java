package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.HeadlessChromium;
import io.piholecheckpoint.testing.Receiver;
import io.piholecheckpoint.testing.InProcessApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Notifications from the running app: a failed backup reaches the webhook, the test action works from the API and the page. */
class NotificationsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void aFailedBackupIsNotifiedAndTheTestActionReportsEachProvider() throws Exception {
    try (Receiver hook = new Receiver();
         FakePihole locked = FakePihole.start("other");
         InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of(
             "NOTIFY_WEBHOOK_URL", hook.url() + "/hook", "NOTIFY_WEBHOOK_HEADERS", "X-Api-Key: k1",
             "NOTIFY_TELEGRAM_BOT_TOKEN", "123:SECRET",
             "PIHOLE_LOCKED_URL", locked.url(), "PIHOLE_LOCKED_PASSWORD", "wrong-password"))) {
      assertThat(app.output()).contains("NOTIFY_TELEGRAM_BOT_TOKEN is set but NOTIFY_TELEGRAM_CHAT_ID is not").doesNotContain("123:SECRET");

      app.post("/api/v1/instances/1/backups");
      Eventually.until("the webhook hears of the failure", Duration.ofSeconds(30), () -> !hook.requests().isEmpty());
      JsonNode told = JSON.readTree(hook.requests().get(0).body());
      assertThat(told.get("event").asText()).isEqualTo("backup_failed");
      assertThat(told.get("instance").asText()).isEqualTo("Locked");
      assertThat(told.get("message").asText()).contains("wrong password").doesNotContain("wrong-password");
      assertThat(hook.requests().get(0).header("X-Api-Key")).isEqualTo("k1");

      JsonNode test = JSON.readTree(app.post("/api/v1/notifications/test").body());
      assertThat(test.at("/results/0/provider").asText()).isEqualTo("webhook");
      assertThat(test.at("/results/0/delivered").asBoolean()).isTrue();
      Eventually.until("two deliveries are listed", Duration.ofSeconds(10),
          () -> JSON.readTree(app.get("/api/v1/notifications").body()).get("deliveries").size() >= 2);

      ChromeDriver browser = HeadlessChromium.shared();
      browser.get(app.url("/settings"));
      browser.findElement(By.cssSelector("[data-notify-test]")).click();
      new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-provider=webhook]")));
      assertThat(browser.findElement(By.cssSelector("[data-provider=webhook]")).getText()).isEqualTo("webhook: delivered");
      assertThat(browser.findElement(By.cssSelector("section.notifications table")).getText()).contains("backup_failed", "test");
      assertThat(hook.requests()).hasSize(3);
    }
  }
}
