package io.piholecheckpoint.web;

import static io.piholecheckpoint.web.OffsitePagesBrowserIT.destination;
import static io.piholecheckpoint.web.OffsitePagesBrowserIT.shown;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * Check again on Settings, as a user sees it in Chromium: offered on a destination's row only while copies there are marked
 * damaged (with how many), and what it found shown in the row after the form's redirect — still damaged, the destination
 * unreachable (nothing changes), and once the file is put right there by hand, verified again and the button gone.
 */
class CheckAgainBrowserIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SHARE = share();

  @RegisterExtension
  static final BrowserFixture fixture = BrowserFixture.create().pihole("home", "labpass")
      .env(f -> Map.of("PIHOLE_HOME_URL", f.pihole("home").url(), "PIHOLE_HOME_PASSWORD", "labpass",
          "BACKUP_ENCRYPTION_PASSPHRASE", "a passphrase for check again", "OFFSITE_NAS_URL", SHARE.resolve("nas").toUri().toString()));

  private final InProcessApp app = fixture.app();
  private final ChromeDriver browser = fixture.browser();

  static Path share() {
    try {
      Path root = Files.createTempDirectory("check-again-pages-");
      Files.createDirectories(root.resolve("nas"));
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode json(String path) throws Exception {
    return JSON.readTree(app.get(path).body());
  }

  private WebElement nas() {
    return destination(browser, "NAS");
  }

  /**
   * Clicks the row's Check again and waits for the redirect back to the row: for the page it was on to go (from the second
   * check on, the address before and after is the same), then for the address.
   */
  private void checkAgain() {
    WebElement button = nas().findElement(By.cssSelector("form[data-offsite-check] button"));
    button.click();
    fixture.waitUpTo(Duration.ofSeconds(30)).until(BrowserFixture.gone(button));
    fixture.waitUpTo(Duration.ofSeconds(30)).until(d -> d.getCurrentUrl().endsWith("/settings#offsite-NAS"));
  }

  @Test
  void checkAgainIsOfferedWhileCopiesAreDamagedAndClearsTheMarkOnceTheFileIsPutRight() throws Exception {
    long id = OffsitePagesBrowserIT.copiedBackup(app, "verified");
    fixture.scriptsOff(); // a form, as Adopt: it works without JavaScript
    browser.get(app.url("/settings"));
    assertThat(nas().findElements(By.cssSelector("form[data-offsite-check]"))).as("no copy at NAS is damaged").isEmpty();

    // the local archive gone, its copy at NAS changed there: the verify finds it damaged and marks it
    JsonNode backup = json("/api/v1/backups/" + id);
    Path remote = SHARE.resolve("nas").resolve(backup.at("/offsite/0/remoteKey").asText());
    Files.delete(fixture.backupDir().resolve(backup.get("fileName").asText()));
    byte[] sent = Files.readAllBytes(remote);
    byte[] tampered = sent.clone();
    tampered[tampered.length / 2] ^= 1;
    Files.write(remote, tampered);
    assertThat(json("/api/v1/backups/" + id + "/verify").get("ok").asBoolean()).isFalse();
    assertThat(json("/api/v1/backups/" + id).at("/offsite/0/damagedAt").isNull()).isFalse();

    browser.get(app.url("/settings"));

    assertThat(shown(nas(), "form[data-offsite-check] button")).isEqualTo("Check again");
    assertThat(shown(nas(), "[data-damaged]")).isEqualTo("1 copy damaged");
    fixture.screenshot(browser.findElement(By.id("offsite")), "settings-offsite-damaged");

    checkAgain();

    assertThat(shown(nas(), "[data-check-result]")).startsWith("Checked again 1 damaged copy: 1 copy at NAS is still not what was sent")
        .contains(backup.at("/offsite/0/remoteKey").asText(), "its checksum does not match what was sent");
    assertThat(shown(nas(), "[data-damaged]")).isEqualTo("1 copy damaged");

    Path away = SHARE.resolve("nas-unmounted");
    Files.move(SHARE.resolve("nas"), away);
    try {
      checkAgain();
    } finally {
      Files.move(away, SHARE.resolve("nas"));
    }

    WebElement unreachable = nas().findElement(By.cssSelector("[data-check-result]"));
    assertThat(shown(nas(), "[data-check-result]")).startsWith("Not checked: ").contains("keep their mark");
    assertThat(unreachable.getAttribute("class")).contains("failed");
    assertThat(json("/api/v1/backups/" + id).at("/offsite/0/state").asText()).isEqualTo("failed");

    Files.write(remote, sent);
    checkAgain();

    assertThat(shown(nas(), "[data-check-result]")).startsWith("Checked again 1 damaged copy: 1 copy at NAS is as sent again: verified");
    assertThat(nas().findElements(By.cssSelector("form[data-offsite-check]"))).as("nothing is damaged at NAS any more").isEmpty();
    assertThat(nas().findElements(By.cssSelector("[data-damaged]"))).isEmpty();
    JsonNode copy = json("/api/v1/backups/" + id).at("/offsite/0");
    assertThat(copy.get("state").asText()).isEqualTo("verified");
    assertThat(copy.get("damagedAt").isNull()).as(copy.toString()).isTrue();
    fixture.screenshot(browser.findElement(By.id("offsite")), "settings-offsite-check-again");
  }
}
