package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.BrowserFixture;
import io.piholecheckpoint.testing.InProcessApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Off-site copies as a user sees them in Chromium: the destinations on Settings with their Test
 * button (with and without JavaScript), and the warning for a destination that copies plain archives.
 */
class OffsitePagesBrowserIT {
  private static final Path SHARES = shares();

  @RegisterExtension
  static final BrowserFixture fixture = BrowserFixture.create().pihole("home", "labpass")
      .env(f -> Map.of("PIHOLE_HOME_URL", f.pihole("home").url(), "PIHOLE_HOME_PASSWORD", "labpass",
          "BACKUP_ENCRYPTION_PASSPHRASE", "a passphrase for the browser test",
          "OFFSITE_NAS_URL", SHARES.resolve("nas").toUri().toString(),
          "OFFSITE_PLAIN_URL", SHARES.resolve("plain").toUri().toString(), "OFFSITE_PLAIN_ENCRYPT", "false",
          "OFFSITE_GONE_URL", SHARES.resolve("not-a-folder").toUri().toString(),
          "OFFSITE_USB_URL", "ftp://usb.local/x"));

  private final InProcessApp app = fixture.app();
  private final ChromeDriver browser = fixture.browser();

  private static Path shares() {
    try {
      Path root = Files.createTempDirectory("offsite-pages-");
      Files.createDirectories(root.resolve("nas"));
      Files.createDirectories(root.resolve("plain"));
      Files.writeString(root.resolve("not-a-folder"), "");
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private WebElement destination(String name) {
    return browser.findElement(By.cssSelector("tr[data-destination='" + name + "']"));
  }

  private static String shown(WebElement row, String css) {
    WebElement e = row.findElement(By.cssSelector(css));
    assertThat(e.isDisplayed()).as(css + " is displayed").isTrue();
    return e.getText();
  }

  @Test
  void settingsListsEachDestinationWithItsKindPlaceAndStatus() throws Exception {
    browser.get(app.url("/settings"));

    WebElement nas = destination("NAS");
    assertThat(nas.getText()).contains("NAS", "directory", "file://" + SHARES.resolve("nas"), "never");
    assertThat(shown(nas, "[data-status]")).isIn("idle", "pending", "ok");
    assertThat(nas.findElements(By.cssSelector("[data-unencrypted]"))).isEmpty();
    WebElement plain = destination("PLAIN");
    assertThat(shown(plain, "[data-unencrypted]")).isEqualTo("not encrypted");
    WebElement usb = destination("USB");
    assertThat(shown(usb, "[data-status]")).isEqualTo("disabled");
    assertThat(shown(usb, "[data-message]")).contains("OFFSITE_USB_URL must start with file://");
    assertThat(usb.findElements(By.cssSelector("form[data-offsite-test]"))).as("a disabled destination cannot be tested").isEmpty();
    fixture.fitHeight();
    fixture.screenshot(browser.findElement(By.id("offsite")), "settings-offsite");
  }

  @Test
  void testShowsTheOutcomeBesideTheDestinationWithoutReloading() {
    browser.get(app.url("/settings"));
    browser.executeScript("window.notReloaded = true");

    destination("NAS").findElement(By.cssSelector("form[data-offsite-test] button")).click();

    WebElement result = destination("NAS").findElement(By.cssSelector("[data-test-result]"));
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> result.getText().startsWith("OK"));
    assertThat(result.isDisplayed()).isTrue();
    assertThat(result.getText()).matches("OK: wrote, read back and deleted a probe in \\d+\\.\\d\\d s \\(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\)");
    assertThat(browser.executeScript("return window.notReloaded")).isEqualTo(true);
  }

  @Test
  void testWorksWithoutJavaScriptAndSaysWhatFailed() throws Exception {
    fixture.scriptsOff();
    browser.get(app.url("/settings"));
    assertThat(destination("GONE").findElement(By.cssSelector("[data-test-result]")).getText()).isEmpty();

    destination("GONE").findElement(By.cssSelector("form[data-offsite-test] button")).click();

    new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.getCurrentUrl().endsWith("/settings#offsite-GONE"));
    String result = shown(destination("GONE"), "[data-test-result]");
    assertThat(result).startsWith("Failed after").contains("write failed: ", "is the disk or share mounted?");
    fixture.screenshot("settings-offsite-test-without-javascript");
  }
}
