package io.piholecheckpoint.web;

import static io.piholecheckpoint.web.OffsitePagesBrowserIT.badges;
import static io.piholecheckpoint.web.OffsitePagesBrowserIT.copiedBackup;
import static io.piholecheckpoint.web.OffsitePagesBrowserIT.shown;
import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.BrowserFixture;
import io.piholecheckpoint.testing.InProcessApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * {@link OffsitePagesBrowserIT} without BACKUP_ENCRYPTION_PASSPHRASE (an app of its own: the fixture
 * starts one per class): archives are stored as Pi-hole made them, a destination set to
 * _ENCRYPT=false copies them so, and each page that lists it or its copies says "not encrypted"; a
 * destination left to encrypt (the default) is disabled and says why.
 */
class OffsiteUnencryptedPagesBrowserIT {
  private static final Path SHARES = OffsitePagesBrowserIT.shares();

  @RegisterExtension
  static final BrowserFixture fixture = BrowserFixture.create().pihole("home", "labpass")
      .env(f -> Map.of("PIHOLE_HOME_URL", f.pihole("home").url(), "PIHOLE_HOME_PASSWORD", "labpass",
          "OFFSITE_PLAIN_URL", SHARES.resolve("plain").toUri().toString(), "OFFSITE_PLAIN_ENCRYPT", "false",
          "OFFSITE_NAS_URL", SHARES.resolve("nas").toUri().toString()));

  private final InProcessApp app = fixture.app();
  private final ChromeDriver browser = fixture.browser();

  private WebElement destination(String name) {
    return OffsitePagesBrowserIT.destination(browser, name);
  }

  @Test
  void settingsMarksTheDestinationThatCopiesPlainAndDisablesTheOneThatWouldEncrypt() throws Exception {
    browser.get(app.url("/settings"));

    WebElement plain = destination("PLAIN");
    assertThat(shown(plain, "[data-unencrypted]")).isEqualTo("not encrypted");
    assertThat(plain.findElement(By.cssSelector("[data-unencrypted]")).getAttribute("title")).contains("OFFSITE_PLAIN_ENCRYPT=false", "password hashes");
    assertThat(shown(plain, "[data-status]")).isIn("idle", "pending", "ok");
    WebElement nas = destination("NAS");
    assertThat(shown(nas, "[data-status]")).isEqualTo("disabled");
    assertThat(shown(nas, "[data-message]")).contains("no BACKUP_ENCRYPTION_PASSPHRASE is set", "OFFSITE_NAS_ENCRYPT=false");
    assertThat(nas.findElements(By.cssSelector("[data-unencrypted]"))).as("a disabled destination copies nothing, plain or not").isEmpty();
    fixture.fitHeight();
    fixture.screenshot(browser.findElement(By.id("offsite")), "settings-offsite-not-encrypted");
  }

  @Test
  void theInstanceAndBackupPagesMarkThePlainCopies() throws Exception {
    long id = copiedBackup(app, "verified");
    try (var copies = Files.list(SHARES.resolve("plain/home"))) {
      Path copy = copies.filter(p -> p.toString().endsWith(".zip")).findFirst().orElseThrow();
      assertThat(Files.readAllBytes(copy)).as("the badge tells the truth: a plain zip left").startsWith((byte) 'P', (byte) 'K');
    }

    browser.get(app.url("/instances/1"));

    WebElement listed = browser.findElement(By.cssSelector("[data-offsite-destinations]"));
    assertThat(listed.getText()).isEqualTo("PLAIN not encrypted");
    assertThat(listed.findElement(By.cssSelector("[data-offsite-destination='PLAIN'] [data-unencrypted]")).isDisplayed()).isTrue();
    WebElement row = browser.findElement(By.cssSelector("tr[data-backup='" + id + "']"));
    assertThat(badges(row)).containsExactly("PLAIN: verified");
    assertThat(row.findElement(By.cssSelector("[data-offsite='PLAIN']")).getAttribute("title")).endsWith("(copied unencrypted)");
    assertThat(shown(row, "[data-unencrypted]")).isEqualTo("not encrypted");

    browser.get(app.url("/backups/" + id));

    WebElement copy = browser.findElement(By.cssSelector("section[data-offsite-copies] tr[data-copy='PLAIN']"));
    assertThat(shown(copy, "[data-unencrypted]")).isEqualTo("not encrypted");
    fixture.screenshot(browser.findElement(By.cssSelector("section[data-offsite-copies]")), "backup-offsite-not-encrypted");
  }
}
