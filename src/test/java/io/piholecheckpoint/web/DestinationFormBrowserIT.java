package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.BrowserFixture;
import io.piholecheckpoint.testing.Eventually;
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

/**
 * A destination added on the Settings page as a user adds it in Chromium: the form, its Test before
 * saving, the row it gets on Settings beside the read-only one of the environment, the badge of its
 * copy on the instance's history, and its deletion, which says what happens to the copies there.
 */
class DestinationFormBrowserIT {
  private static final Path SHARES = shares();
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final BrowserFixture fixture = BrowserFixture.create().pihole("home", "labpass")
      .env(f -> Map.of("PIHOLE_HOME_URL", f.pihole("home").url(), "PIHOLE_HOME_PASSWORD", "labpass",
          "BACKUP_ENCRYPTION_PASSPHRASE", "a passphrase for the browser test",
          "OFFSITE_NAS_URL", SHARES.resolve("nas").toUri().toString()));

  private final InProcessApp app = fixture.app();
  private final ChromeDriver browser = fixture.browser();

  private static Path shares() {
    try {
      Path root = Files.createTempDirectory("destination-form-");
      Files.createDirectories(root.resolve("nas"));
      Files.createDirectories(root.resolve("usb"));
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void type(String field, String text) {
    WebElement input = browser.findElement(By.name(field));
    input.clear();
    input.sendKeys(text);
  }

  private WebElement row(String name) {
    return browser.findElement(By.cssSelector("tr[data-destination='" + name + "']"));
  }

  @Test
  void aDestinationAddedOnTheFormIsTestedSavedAndTakesTheNextBackupsCopy() throws Exception {
    browser.get(app.url("/settings"));
    assertThat(row("NAS").findElement(By.cssSelector("[data-environment]")).getText()).isEqualTo("environment, read-only");
    browser.findElement(By.cssSelector("[data-add-destination]")).click();
    type("name", "usb");
    type("url", SHARES.resolve("usb").toUri().toString());
    type("maxBackups", "10");

    browser.findElement(By.cssSelector("button[value='test']")).click();

    WebElement tested = browser.findElement(By.cssSelector("[data-test-result]"));
    fixture.waitUpTo(Duration.ofSeconds(30)).until(d -> tested.getText().matches("(OK|Failed).*"));
    assertThat(tested.getText()).startsWith("OK: wrote, read back and deleted a probe");
    assertThat(browser.findElement(By.name("url")).getAttribute("value")).as("the form keeps what was typed")
        .isEqualTo(SHARES.resolve("usb").toUri().toString());
    fixture.screenshot("destination-form-tested");

    browser.findElement(By.cssSelector("button[value='save']")).click();

    fixture.waitUpTo(Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().endsWith("/settings#offsite-USB"));
    WebElement usb = row("USB");
    assertThat(usb.getText()).contains("USB", "directory", "file://" + SHARES.resolve("usb"));
    assertThat(usb.findElement(By.cssSelector("[data-edit]")).isDisplayed()).isTrue();
    usb.findElement(By.cssSelector("form[data-offsite-test] button")).click();
    WebElement result = row("USB").findElement(By.cssSelector("[data-test-result]"));
    fixture.waitUpTo(Duration.ofSeconds(30)).until(d -> result.getText().startsWith("OK"));

    String job = JSON.readTree(app.post("/api/v1/instances/1/backups").body()).at("/job/url").asText();
    Eventually.until("the backup is done", Duration.ofSeconds(30), () -> JSON.readTree(app.get(job).body()).get("state").asText().equals("done"));
    long id = JSON.readTree(app.get(job).body()).get("backupId").asLong();
    Eventually.until("its copy at USB is verified", Duration.ofSeconds(90),
        () -> JSON.readTree(app.get("/api/v1/backups/" + id).body()).get("offsite").findValuesAsText("state").size() == 2
            && JSON.readTree(app.get("/api/v1/backups/" + id).body()).get("offsite").findValuesAsText("state").stream().allMatch("verified"::equals));
    browser.get(app.url("/instances/1"));
    WebElement backup = browser.findElement(By.cssSelector("tr[data-backup='" + id + "']"));
    assertThat(backup.findElement(By.cssSelector("[data-offsite='USB']")).getText()).isEqualTo("USB: verified");
    fixture.screenshot(backup, "destination-form-badge");
  }

  @Test
  void theTestBeforeSavingWorksWithoutJavaScriptAndSaysWhatFailed() {
    fixture.scriptsOff();
    browser.get(app.url("/settings/destinations/new"));
    type("name", "gone");
    type("url", SHARES.resolve("not-mounted").toUri().toString());

    submit("button[value='test']");

    WebElement tested = browser.findElement(By.cssSelector("[data-test-result]"));
    assertThat(tested.getText()).startsWith("Failed at write:").contains("is the disk or share mounted?");
    assertThat(browser.findElement(By.name("name")).getAttribute("value")).isEqualTo("gone");
    assertThat(browser.findElements(By.cssSelector("tr[data-destination='GONE']"))).isEmpty();
  }

  @Test
  void aRefusedDestinationIsShownWithWhyAndDeletingOneSaysTheCopiesThereAreKept() throws Exception {
    browser.get(app.url("/settings/destinations/new"));
    type("name", "inside");
    type("url", SHARES.resolve("nas/inside").toUri().toString());

    browser.findElement(By.cssSelector("button[value='save']")).click();

    assertThat(browser.findElement(By.cssSelector("[data-problem]")).getText()).contains("url is the place of OFFSITE_NAS_URL");
    type("name", "spare");
    type("url", SHARES.resolve("usb/spare").toUri().toString());
    Files.createDirectories(SHARES.resolve("usb/spare"));
    browser.findElement(By.cssSelector("button[value='save']")).click();
    fixture.waitUpTo(Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().endsWith("/settings#offsite-SPARE"));
    row("SPARE").findElement(By.cssSelector("[data-edit]")).click();
    WebElement delete = browser.findElement(By.cssSelector("form[data-destination-delete]"));
    assertThat(delete.getText()).contains("The copies it holds there are kept", "the records of its copies are dropped");
    delete.findElement(By.name("understood")).click();

    delete.findElement(By.cssSelector("button")).click();

    fixture.waitUpTo(Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().endsWith("/settings#offsite"));
    assertThat(browser.findElements(By.cssSelector("tr[data-destination='SPARE']"))).isEmpty();
  }

  /** Without JavaScript a button posts the form: waits until the page it was on has gone, so what is read next is the answer. */
  private void submit(String button) {
    WebElement pressed = browser.findElement(By.cssSelector(button));
    pressed.click();
    fixture.waitUpTo(Duration.ofSeconds(30)).until(BrowserFixture.gone(pressed));
  }
}
