package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.BrowserFixture;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.InProcessApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Off-site copies as a user sees them in Chromium: the destinations on Settings with their Test
 * button (with and without JavaScript), a badge per copy on the instance's history and the
 * backup's page; with BACKUP_ENCRYPTION_PASSPHRASE set, a destination with _ENCRYPT=false still gets
 * encrypted copies (archives are stored encrypted and copied as stored), so no page warns about it
 * (without a passphrase they do: {@link OffsiteUnencryptedPagesBrowserIT}).
 */
class OffsitePagesBrowserIT {
  private static final Path SHARES = shares();
  /** Typed into the URL by mistake: the page shows where USB was set to write, never these. */
  private static final String USB_PASSWORD = "hunter2-in-the-url";
  private static final String USB_TOKEN = "a-signed-token";

  @RegisterExtension
  static final BrowserFixture fixture = BrowserFixture.create().pihole("home", "labpass")
      .env(f -> Map.of("PIHOLE_HOME_URL", f.pihole("home").url(), "PIHOLE_HOME_PASSWORD", "labpass",
          "BACKUP_ENCRYPTION_PASSPHRASE", "a passphrase for the browser test",
          "OFFSITE_NAS_URL", SHARES.resolve("nas").toUri().toString(),
          "OFFSITE_PLAIN_URL", SHARES.resolve("plain").toUri().toString(), "OFFSITE_PLAIN_ENCRYPT", "false",
          "OFFSITE_GONE_URL", SHARES.resolve("not-a-folder").toUri().toString(),
          "OFFSITE_USB_URL", "ftp://usb:" + USB_PASSWORD + "@usb.local/x?token=" + USB_TOKEN));

  private final InProcessApp app = fixture.app();
  private final ChromeDriver browser = fixture.browser();

  static Path shares() {
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
    return destination(browser, name);
  }

  static WebElement destination(ChromeDriver browser, String name) {
    return browser.findElement(By.cssSelector("tr[data-destination='" + name + "']"));
  }

  static String shown(WebElement row, String css) {
    WebElement e = row.findElement(By.cssSelector(css));
    assertThat(e.isDisplayed()).as(css + " is displayed").isTrue();
    return e.getText();
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A backup of Home whose copies have all been tried: NAS and PLAIN verified, GONE failed. */
  private long copiedBackup() throws Exception {
    return copiedBackup(app, "failed", "verified", "verified");
  }

  /** A backup of Home on {@code app} once its copies, by destination name, are in these states. */
  static long copiedBackup(InProcessApp app, String... states) throws Exception {
    String job = JSON.readTree(app.post("/api/v1/instances/1/backups").body()).at("/job/url").asText();
    Eventually.until("the backup is done", Duration.ofSeconds(30), () -> JSON.readTree(app.get(job).body()).get("state").asText().equals("done"));
    long id = JSON.readTree(app.get(job).body()).get("backupId").asLong();
    Eventually.until("its copies are tried", Duration.ofSeconds(90),
        () -> JSON.readTree(app.get("/api/v1/backups/" + id).body()).get("offsite").findValuesAsText("state").equals(List.of(states)));
    return id;
  }

  static List<String> badges(WebElement in) {
    return in.findElements(By.cssSelector("[data-offsite]")).stream().filter(WebElement::isDisplayed).map(WebElement::getText).toList();
  }

  @Test
  void eachBackupShowsABadgePerDestinationOnTheInstancePageAndItsOwnPage() throws Exception {
    long id = copiedBackup();

    browser.get(app.url("/instances/1"));

    assertThat(browser.findElement(By.cssSelector("[data-offsite-destinations]")).getText()).isEqualTo("GONE, NAS, PLAIN");
    WebElement row = browser.findElement(By.cssSelector("tr[data-backup='" + id + "']"));
    assertThat(badges(row)).containsExactly("GONE: failed", "NAS: verified", "PLAIN: verified");
    assertThat(row.findElement(By.cssSelector("[data-offsite='GONE']")).getAttribute("title")).contains("is the disk or share mounted?");
    assertThat(row.findElements(By.cssSelector("[data-unencrypted]"))).as("PLAIN's copies are encrypted like every other").isEmpty();
    fixture.screenshot(row, "instance-offsite-badges");

    row.findElement(By.tagName("a")).click();

    new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().endsWith("/backups/" + id));
    WebElement copies = browser.findElement(By.cssSelector("section[data-offsite-copies]"));
    assertThat(badges(copies)).containsExactly("GONE: failed", "NAS: verified", "PLAIN: verified");
    WebElement nas = copies.findElement(By.cssSelector("tr[data-copy='NAS']"));
    assertThat(nas.getText()).contains("verified", "home/").containsPattern("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
    assertThat(copies.findElement(By.cssSelector("tr[data-copy='GONE']")).getText()).contains("failed", "is the disk or share mounted?");
    assertThat(copies.findElements(By.cssSelector("tr[data-copy='PLAIN'] [data-unencrypted]"))).isEmpty();
    fixture.screenshot(copies, "backup-offsite-copies");
  }

  @Test
  void aBackupMadeOnThePageShowsItsQueuedCopiesAtOnce() {
    browser.get(app.url("/instances/1"));

    browser.findElement(By.cssSelector("form.backup-now button")).click();

    WebElement result = browser.findElement(By.cssSelector("form.backup-now [data-result]"));
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> result.getText().startsWith("Backed up"));
    WebElement row = browser.findElement(By.cssSelector("[data-history] tr.backup"));
    assertThat(badges(row)).hasSize(3).allMatch(b -> b.matches("(GONE|NAS|PLAIN): (pending|copied|verified|failed)"));
    assertThat(badges(row).get(0)).startsWith("GONE");
  }

  @Test
  void listsOfBackupsCarryTheirCopies() throws Exception {
    long id = copiedBackup();

    JsonNode listed = JSON.readTree(app.get("/api/v1/instances/1/backups?limit=5").body()).get("backups");

    JsonNode backup = listed.get(0);
    assertThat(backup.get("id").asLong()).isEqualTo(id);
    assertThat(backup.get("offsite").findValuesAsText("destination")).containsExactly("GONE", "NAS", "PLAIN");
    assertThat(backup.get("offsite").findValuesAsText("state")).containsExactly("failed", "verified", "verified");
    assertThat(backup.at("/offsite/0/error").asText()).contains("mounted");
  }

  @Test
  void settingsListsEachDestinationWithItsKindPlaceAndStatus() throws Exception {
    browser.get(app.url("/settings"));

    WebElement nas = destination("NAS");
    assertThat(nas.getText()).contains("NAS", "directory", "file://" + SHARES.resolve("nas"));
    assertThat(shown(nas, "[data-status]")).isIn("idle", "pending", "ok");
    assertThat(nas.findElements(By.cssSelector("[data-unencrypted]"))).isEmpty();
    WebElement plain = destination("PLAIN");
    assertThat(plain.findElements(By.cssSelector("[data-unencrypted]"))).as("_ENCRYPT=false changes nothing with a passphrase").isEmpty();
    WebElement usb = destination("USB");
    assertThat(shown(usb, "[data-status]")).isEqualTo("disabled");
    assertThat(shown(usb, "[data-message]")).contains("OFFSITE_USB_URL must start with file://");
    assertThat(usb.findElements(By.cssSelector("form[data-offsite-test]"))).as("a disabled destination cannot be tested").isEmpty();
    // where it was set to write, beside why it is off: which setting to fix; never what the URL should not hold
    assertThat(shown(usb, "[data-where] code")).isEqualTo("ftp://usb@usb.local/x");
    assertThat(shown(usb, "[data-where-unused]")).contains("nothing is written there");
    assertThat(browser.getPageSource()).doesNotContain(USB_PASSWORD).doesNotContain(USB_TOKEN);
    assertThat(app.get("/api/v1/offsite").body()).contains("\"where\":\"ftp://usb@usb.local/x\"").doesNotContain(USB_PASSWORD)
        .doesNotContain(USB_TOKEN);
    // its waiting copies are shown as the API counts them, not hidden behind a dash
    long pending = JSON.readTree(app.get("/api/v1/offsite").body()).findParents("name").stream()
        .filter(n -> n.get("name").asText().equals("USB")).findFirst().orElseThrow().get("pending").asLong();
    assertThat(shown(usb, "[data-pending]")).isEqualTo(Long.toString(pending));
    assertThat(usb.findElements(By.cssSelector("[data-not-made]"))).hasSize(pending > 0 ? 1 : 0);
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

  @Test
  void adoptOnSettingsSaysWhatTheDestinationHoldsAndTakesNothingTwice() throws Exception {
    copiedBackup(); // its copy at NAS is verified, after the first off-site run's own adoption
    browser.get(app.url("/settings"));
    assertThat(destination("USB").findElements(By.cssSelector("form[data-offsite-adopt]"))).as("a disabled destination has nothing to adopt").isEmpty();

    destination("NAS").findElement(By.cssSelector("form[data-offsite-adopt] button")).click();

    new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.getCurrentUrl().endsWith("/settings#offsite-NAS"));
    String result = shown(destination("NAS"), "[data-adopt-result]");
    assertThat(result).matches("Found [1-9]\\d*: 0 adopted, [1-9]\\d* already here, 0 skipped \\(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\)");
    assertThat(JSON.readTree(app.get("/api/v1/instances/1/backups").body()).get("backups").findValuesAsText("trigger")).doesNotContain("offsite");
  }
}
