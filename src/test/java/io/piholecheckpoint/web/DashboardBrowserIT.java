package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.BrowserFixture;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium. "Home" is backed up by one test only, which sees it
 * without backups; the test of a backup in progress uses an instance of its own.
 */
class DashboardBrowserIT {
  @RegisterExtension
  static final BrowserFixture fixture = BrowserFixture.create().pihole("home", "labpass").pihole("locked", "other")
      .env(f -> Map.of(
          "PIHOLE_HOME_URL", f.pihole("home").url(), "PIHOLE_HOME_PASSWORD", "labpass",
          "PIHOLE_LOCKED_URL", f.pihole("locked").url(), "PIHOLE_LOCKED_PASSWORD", "labpass"));

  private final InProcessApp app = fixture.app();
  private final ChromeDriver browser = fixture.browser();

  /** The instance's card, waited for: the page refreshes its cards while it is open, so one may be mid-replacement. */
  private WebElement card(String name) {
    try {
      return new WebDriverWait(browser, Duration.ofSeconds(10)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
          .until(d -> d.findElements(By.cssSelector("section.instance")).stream()
              .filter(s -> s.findElement(By.tagName("h2")).getText().equals(name)).findFirst().orElse(null));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("no card of '" + name + "' on " + browser.getCurrentUrl(), e);
    }
  }

  @Test
  void backUpNowAddsASuccessfulDownloadableBackupToTheHistory() throws Exception {
    browser.get(app.url("/"));
    assertThat(card("Home").getText()).contains("No backups yet.", "never");
    browser.executeScript("window.notReloaded = true");

    card("Home").findElement(By.cssSelector("form.backup-now button")).click();

    new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("section.instance tr.backup.status-success")));
    assertThat(browser.executeScript("return window.notReloaded")).as("the row came without a reload").isEqualTo(true);
    assertThat(card("Home").findElement(By.cssSelector("[data-result]")).getText()).startsWith("Backed up (22.7 kB)");
    browser.navigate().refresh();
    WebElement row = card("Home").findElement(By.cssSelector("tr.backup.status-success"));
    assertThat(row.getText()).contains("manual", "success", "kB");
    assertThat(row.findElement(By.linkText("Download")).getAttribute("href")).matches(".*/backups/\\d+/download");
    assertThat(card("Home").findElement(By.cssSelector("[data-state]")).getText()).isEqualTo("ok");
    assertThat(card("Home").findElement(By.cssSelector("[data-last-success]")).getText()).contains("just now");
    Files.write(Path.of("target/dashboard.png"), browser.getScreenshotAs(OutputType.BYTES));
  }

  @Test
  void followsABackupStartedBeforeThePageWasOpenedWithTheButtonDisabled() throws Exception {
    FakePihole home = fixture.pihole("home");
    long busy = new ObjectMapper().readTree(app.send("POST", "/api/v1/instances", new ObjectMapper().createObjectNode()
        .put("name", "Busy").put("url", home.url()).put("password", "labpass").toString()).body()).get("id").asLong();
    FakePihole.Hold hold = home.holdExports();
    app.post("/api/v1/instances/" + busy + "/backups");
    assertThat(hold.awaitStarted()).isTrue();

    browser.get(app.url("/"));
    WebElement button = card("Busy").findElement(By.cssSelector("form.backup-now button"));
    assertThat(button.isEnabled()).as("disabled while it runs").isFalse();
    hold.release();

    new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> card("Busy").findElement(By.cssSelector("form.backup-now button")).isEnabled());
    assertThat(card("Busy").findElement(By.cssSelector("[data-result]")).getText()).startsWith("Backed up");
  }

  @Test
  void backUpNowShowsWhyABackupFailed() {
    browser.get(app.url("/"));

    card("Locked").findElement(By.cssSelector("form.backup-now button")).click();

    WebElement result = card("Locked").findElement(By.cssSelector("[data-result]"));
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> result.getText().contains("wrong password"));
    assertThat(result.getText()).startsWith("wrong password for Pi-hole 'Locked'");
  }
}
