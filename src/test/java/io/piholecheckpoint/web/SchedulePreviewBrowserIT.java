package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.BrowserFixture;
import io.piholecheckpoint.testing.InProcessApp;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The instance form in headless Chromium: the saved schedule's next runs beside it, and the
 * preview following a cron expression as it is typed, its refusal too. Screenshots go to
 * target/screenshots.
 */
class SchedulePreviewBrowserIT {
  @RegisterExtension
  static final BrowserFixture fixture = BrowserFixture.create().pihole("garage", "labpass")
      .env(f -> Map.of("TIME_ZONE", "Europe/Berlin"));

  @Test
  void showsTheSavedRunsThenFollowsTheTypedCron() throws Exception {
    InProcessApp app = fixture.app();
    ChromeDriver browser = fixture.browser();
    WebDriverWait wait = fixture.waitUpTo(Duration.ofSeconds(30));
    HttpResponse<String> created = app.send("POST", "/api/v1/instances", new ObjectMapper().createObjectNode().put("name", "Garage")
        .put("url", fixture.pihole("garage").url()).put("password", "labpass").put("scheduleKind", "cron").put("cron", "30 2 * * 1-5").toString());
    long id = new ObjectMapper().readTree(created.body()).get("id").asLong();
    browser.get(app.url("/instances/" + id + "/edit"));
    WebElement preview = browser.findElement(By.cssSelector("[data-schedule-preview]"));

    assertThat(preview.isDisplayed()).isTrue();
    assertThat(preview.getText()).startsWith("Next runs (Europe/Berlin): ").contains(" 02:30:00");
    fixture.screenshot("schedule-preview-saved");

    WebElement cron = browser.findElement(By.name("cron"));
    cron.clear();
    cron.sendKeys("*/20 * * * *");
    wait.until(d -> preview.getText().matches(".*:(00|20|40):00, .*:(00|20|40):00, .*:(00|20|40):00"));
    fixture.screenshot("schedule-preview-typed");

    cron.clear();
    cron.sendKeys("0 3 1 * MON");
    wait.until(d -> preview.getText().contains("either matches"));
    assertThat(preview.getAttribute("class")).contains("failed");
    fixture.screenshot("schedule-preview-refused");
  }

  @Test
  void followsADailyAndAWeeklyScheduleAsTheyAreChosenNotOnlyACron() throws Exception {
    InProcessApp app = fixture.app();
    ChromeDriver browser = fixture.browser();
    WebDriverWait wait = fixture.waitUpTo(Duration.ofSeconds(30));
    HttpResponse<String> created = app.send("POST", "/api/v1/instances", new ObjectMapper().createObjectNode().put("name", "Shed")
        .put("url", fixture.pihole("garage").url()).put("password", "labpass").put("scheduleKind", "daily").put("time", "03:00").toString());
    long id = new ObjectMapper().readTree(created.body()).get("id").asLong();
    browser.get(app.url("/instances/" + id + "/edit"));
    WebElement preview = browser.findElement(By.cssSelector("[data-schedule-preview]"));
    assertThat(preview.getText()).startsWith("Next runs (Europe/Berlin): ").contains(" 03:00:00");

    WebElement time = browser.findElement(By.name("time"));
    time.clear();
    time.sendKeys("04:15");
    wait.until(d -> preview.getText().matches("Next runs \\(Europe/Berlin\\): (\\S+ 04:15:00(, )?){3}"));
    new Select(browser.findElement(By.name("scheduleKind"))).selectByValue("weekly");
    new Select(browser.findElement(By.name("day"))).selectByValue("friday");
    wait.until(d -> preview.getText().matches("Next runs \\(Europe/Berlin\\): (\\S+ 04:15:00(, )?){3}")
        && fridays(preview.getText()) == 3);
    fixture.screenshot("schedule-preview-weekly");
  }

  /**
   * Outsider 46: without JavaScript the new-instance form showed no runs. The server draws the runs of the schedule in the
   * fields: the default one on a new form, the one typed beside a form refused for another field; and says how to see more.
   */
  @Test
  void showsTheRunsOfTheScheduleInTheFieldsWithoutJavaScript() throws Exception {
    InProcessApp app = fixture.app();
    ChromeDriver browser = fixture.browser();
    fixture.scriptsOff();
    browser.get(app.url("/instances/new"));
    assertThat(browser.findElement(By.cssSelector("[data-schedule-preview]")).getText())
        .matches("Next runs \\(Europe/Berlin\\): (\\S+ 03:00:00(, )?){3}");
    assertThat(browser.findElement(By.cssSelector("[data-schedule-preview-note]")).isDisplayed()).isTrue();

    browser.findElement(By.name("name")).sendKeys("Porch");
    browser.findElement(By.name("url")).sendKeys("not a url");
    new Select(browser.findElement(By.name("scheduleKind"))).selectByValue("cron");
    browser.findElement(By.name("cron")).sendKeys("*/20 * * * *");
    WebElement save = browser.findElement(By.cssSelector(".instance-form button[type=submit]"));
    save.click();
    fixture.waitUpTo(Duration.ofSeconds(30)).until(BrowserFixture.gone(save));

    assertThat(browser.findElement(By.cssSelector(".field-error")).isDisplayed()).as("refused for its URL").isTrue();
    WebElement preview = browser.findElement(By.cssSelector("[data-schedule-preview]"));
    assertThat(preview.isDisplayed()).isTrue();
    assertThat(preview.getText()).matches("Next runs \\(Europe/Berlin\\): (\\S+ \\d\\d:(00|20|40):00(, )?){3}");
    fixture.screenshot("schedule-preview-refused-without-javascript");
  }

  /**
   * Outsider 50 F3: an instance whose cron has ended is marked "edit the instance to fix it", and its edit form showed the cron with
   * nothing beside it and no runs, with and without JavaScript. The form says beside the field what the preview says of it. The row
   * is written as the last fire passing leaves it: a cron whose every fire is past (the scheduler's own end is the r50-fixes branch's).
   */
  @Test
  void theEditFormOfAnInstanceWhoseCronHasEndedSaysSoBesideTheCronWithAndWithoutJavaScript() throws Exception {
    InProcessApp app = fixture.app();
    ChromeDriver browser = fixture.browser();
    HttpResponse<String> created = app.send("POST", "/api/v1/instances", new ObjectMapper().createObjectNode().put("name", "Ender")
        .put("url", fixture.pihole("garage").url()).put("password", "labpass").put("scheduleKind", "cron").put("cron", "30 2 * * *").toString());
    long id = new ObjectMapper().readTree(created.body()).get("id").asLong();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + fixture.backupDir().resolveSibling("data").resolve("checkpoint.db"));
         Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE instance SET schedule_cron = '0 2 16 6 12 ? 2020' WHERE id = " + id);
    }

    for (boolean scripts : new boolean[] {true, false}) {
      if (!scripts) {
        fixture.scriptsOff();
      }
      browser.get(app.url("/instances/" + id + "/edit"));
      WebElement error = browser.findElement(By.id("e-cron"));

      assertThat(error.isDisplayed()).as("scripts " + scripts).isTrue();
      assertThat(error.getText()).contains("'0 2 16 6 12 ? 2020' never fires again", "enter one that does");
      assertThat(browser.findElement(By.name("cron")).getAttribute("value")).isEqualTo("0 2 16 6 12 ? 2020");
      assertThat(browser.findElement(By.cssSelector("[data-schedule-preview]")).getText()).doesNotContain("Next runs");
      fixture.screenshot("schedule-ended-edit-form" + (scripts ? "" : "-without-javascript"));
    }
  }

  private static long fridays(String shown) {
    return java.util.regex.Pattern.compile("\\d{4}-\\d\\d-\\d\\d").matcher(shown).results()
        .filter(m -> java.time.LocalDate.parse(m.group()).getDayOfWeek() == java.time.DayOfWeek.FRIDAY).count();
  }
}
