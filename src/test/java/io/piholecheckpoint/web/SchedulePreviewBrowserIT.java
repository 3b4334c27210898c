package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The instance form in headless Chromium: the saved schedule's next runs beside it, and the
 * preview following a cron expression as it is typed, its refusal too. Screenshots go to
 * target/screenshots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchedulePreviewBrowserIT {
  @TempDir
  static Path dir;

  private FakePihole pihole;
  private InProcessApp app;
  private ChromeDriver browser;
  private WebDriverWait wait;

  @BeforeAll
  void start() throws Exception {
    pihole = FakePihole.start("labpass");
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of("TIME_ZONE", "Europe/Berlin"));
    browser = DashboardBrowserIT.headlessChromium(dir.resolve("profile"));
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    Files.createDirectories(Path.of("target/screenshots"));
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    app.close();
    pihole.close();
  }

  @Test
  void showsTheSavedRunsThenFollowsTheTypedCron() throws Exception {
    HttpResponse<String> created = app.send("POST", "/api/v1/instances", new ObjectMapper().createObjectNode().put("name", "Garage")
        .put("url", pihole.url()).put("password", "labpass").put("scheduleKind", "cron").put("cron", "30 2 * * 1-5").toString());
    long id = new ObjectMapper().readTree(created.body()).get("id").asLong();
    browser.get(app.url("/instances/" + id + "/edit"));
    WebElement preview = browser.findElement(By.cssSelector("[data-schedule-preview]"));

    assertThat(preview.isDisplayed()).isTrue();
    assertThat(preview.getText()).startsWith("Next runs (Europe/Berlin): ").contains(" 02:30:00");
    Files.write(Path.of("target/screenshots", "schedule-preview-saved.png"), browser.getScreenshotAs(OutputType.BYTES));

    WebElement cron = browser.findElement(By.name("cron"));
    cron.clear();
    cron.sendKeys("*/20 * * * *");
    wait.until(d -> preview.getText().matches(".*:(00|20|40):00, .*:(00|20|40):00, .*:(00|20|40):00"));
    Files.write(Path.of("target/screenshots", "schedule-preview-typed.png"), browser.getScreenshotAs(OutputType.BYTES));

    cron.clear();
    cron.sendKeys("0 3 1 * MON");
    wait.until(d -> preview.getText().contains("either matches"));
    assertThat(preview.getAttribute("class")).contains("failed");
    Files.write(Path.of("target/screenshots", "schedule-preview-refused.png"), browser.getScreenshotAs(OutputType.BYTES));
  }
}
