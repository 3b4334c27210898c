package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard in headless Chromium (Debian's chromium and chromium-driver). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {
  @TempDir
  static Path dir;

  private FakePihole home;
  private FakePihole locked;
  private InProcessApp app;
  private ChromeDriver browser;

  @BeforeAll
  void start() throws Exception {
    home = FakePihole.start("labpass");
    locked = FakePihole.start("other");
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of(
        "PIHOLE_HOME_URL", home.url(), "PIHOLE_HOME_PASSWORD", "labpass",
        "PIHOLE_LOCKED_URL", locked.url(), "PIHOLE_LOCKED_PASSWORD", "labpass"));
    browser = headlessChromium(dir.resolve("chromium-profile"));
  }

  static ChromeDriver headlessChromium(Path profile) {
    return headlessChromium(profile, new ChromeOptions());
  }

  /** @param options extra options, e.g. JavaScript switched off to see a page as such a browser does */
  static ChromeDriver headlessChromium(Path profile, ChromeOptions options) {
    options.setBinary(System.getProperty("checkpoint.chromium", "/usr/bin/chromium"));
    // the background-networking flags keep Chromium off the network, which this machine has not
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=1280,1024", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(System.getProperty("checkpoint.chromedriver", "/usr/bin/chromedriver")))
        .usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  /** Makes the window as tall as the page, so that a screenshot of an element shows all of it. */
  static void fitHeight(ChromeDriver browser) {
    long height = (Long) browser.executeScript("return document.documentElement.scrollHeight");
    browser.manage().window().setSize(new Dimension(1280, (int) Math.max(1024, height + 120)));
  }

  @AfterAll
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    app.close();
    home.close();
    locked.close();
  }

  private WebElement card(String name) {
    return browser.findElements(By.cssSelector("section.instance")).stream()
        .filter(s -> s.findElement(By.tagName("h2")).getText().equals(name)).findFirst().orElseThrow();
  }

  @Test
  @Order(1)
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
  @Order(2)
  void followsABackupStartedBeforeThePageWasOpenedWithTheButtonDisabled() throws Exception {
    FakePihole.Hold hold = home.holdExports();
    app.post("/api/v1/instances/" + instanceId("Home") + "/backups");
    assertThat(hold.awaitStarted()).isTrue();

    browser.get(app.url("/"));
    WebElement button = card("Home").findElement(By.cssSelector("form.backup-now button"));
    assertThat(button.isEnabled()).as("disabled while it runs").isFalse();
    hold.release();

    new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> card("Home").findElement(By.cssSelector("form.backup-now button")).isEnabled());
    assertThat(card("Home").findElement(By.cssSelector("[data-result]")).getText()).startsWith("Backed up");
  }

  private long instanceId(String name) throws Exception {
    var instances = new com.fasterxml.jackson.databind.ObjectMapper().readTree(app.get("/api/v1/instances").body()).get("instances");
    for (var i : instances) {
      if (i.get("name").asText().equals(name)) {
        return i.get("id").asLong();
      }
    }
    throw new AssertionError(name);
  }

  @Test
  @Order(3)
  void backUpNowShowsWhyABackupFailed() {
    browser.get(app.url("/"));

    card("Locked").findElement(By.cssSelector("form.backup-now button")).click();

    WebElement result = card("Locked").findElement(By.cssSelector("[data-result]"));
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> result.getText().contains("wrong password"));
    assertThat(result.getText()).startsWith("wrong password for Pi-hole 'Locked'");
  }
}
