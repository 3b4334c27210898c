package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.crypto.OpenPgpArchiveCipher;
import io.piholecheckpoint.testing.BrowserFixture;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.InProcessApp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * What a disaster recovery that went partly wrong looks like on Settings, in Chromium: the destination holds copies written
 * with another BACKUP_ENCRYPTION_PASSPHRASE (the passphrase problem beside Archives), one archive whose manifest is not one
 * (the adoption's note under the destination) and one copy whose bytes are not what its manifest says (found damaged when
 * read back: the destination's status and why). Each is asserted as displayed, not only present in the HTML.
 */
class OffsiteRecoveryBrowserIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WRITTEN_WITH = "the passphrase the copies were written with";
  private static final Path NAS = nasHoldingCopies();

  @RegisterExtension
  static final BrowserFixture fixture = BrowserFixture.create().pihole("home", "labpass")
      .env(f -> Map.of("PIHOLE_HOME_URL", f.pihole("home").url(), "PIHOLE_HOME_PASSWORD", "labpass",
          "BACKUP_ENCRYPTION_PASSPHRASE", "not the passphrase of those copies", "OFFSITE_NAS_URL", NAS.toUri().toString(),
          "OFFSITE_FIRST_RUN_SECONDS", "0"));

  private final InProcessApp app = fixture.app();
  private final ChromeDriver browser = fixture.browser();

  /** A share that the lost install wrote: two encrypted copies with their manifests (one of them changed since), and a stray. */
  static Path nasHoldingCopies() {
    try {
      Path nas = Files.createTempDirectory("offsite-recovery-");
      Path home = Files.createDirectories(nas.resolve("home"));
      copy(home, "home_20261201T030000Z_aaaaaa.zip", false);
      copy(home, "home_20261201T040000Z_bbbbbb.zip", true);
      Files.writeString(home.resolve("home_20200101T000000Z_cccccc.zip.gpg.json"), "{not json", StandardCharsets.UTF_8);
      Files.write(home.resolve("home_20200101T000000Z_cccccc.zip.gpg"), new byte[] {1, 2, 3});
      return nas;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** One copy as the lost install uploaded it; {@code changedSince}: its bytes were changed there after its manifest was written. */
  private static void copy(Path home, String fileName, boolean changedSince) throws Exception {
    byte[] plain = ("PK an archive " + fileName).getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new OpenPgpArchiveCipher(WRITTEN_WITH.toCharArray()).encrypt(new ByteArrayInputStream(plain), out);
    byte[] encrypted = out.toByteArray();
    String key = "home/" + fileName + ".gpg";
    String time = fileName.substring(5, 9) + "-" + fileName.substring(9, 11) + "-" + fileName.substring(11, 13) + "T"
        + fileName.substring(14, 16) + ":00:00Z";
    Files.writeString(home.resolve(fileName + ".gpg.json"), """
        {"format": "pihole-checkpoint-offsite/1", "instance": "Home", "startedAt": "%s", "finishedAt": "%s", "fileName": "%s",
         "remoteKey": "%s", "archiveBytes": %d, "archiveSha256": "%s", "uploadedBytes": %d, "uploadedSha256": "%s", "contentHash": "%s"}
        """.formatted(time, time, fileName, key, plain.length, sha256(plain), encrypted.length, sha256(encrypted), sha256(plain)),
        StandardCharsets.UTF_8);
    if (changedSince) {
      encrypted[encrypted.length - 1] ^= 1;
    }
    Files.write(home.resolve(fileName + ".gpg"), encrypted);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static String shown(WebElement in, String css) {
    WebElement e = in.findElement(By.cssSelector(css));
    assertThat(e.isDisplayed()).as(css + " is displayed").isTrue();
    return e.getText();
  }

  @Test
  void settingsShowsThePassphraseProblemTheAdoptionsNoteAndTheDamagedCopy() throws Exception {
    Eventually.until("the passphrase was checked and the damaged copy given up", Duration.ofSeconds(90), () -> {
      JsonNode health = JSON.readTree(app.get("/health").body());
      JsonNode nas = JSON.readTree(app.get("/api/v1/offsite").body()).at("/destinations/0");
      // "unchecked" is not the finding waited for: a try that could not read the copy says so meanwhile
      return health.at("/passphrase/status").asText().equals("wrong") && nas.get("failed").asInt() == 1 && nas.get("awaitingReadBack").asInt() == 0;
    });

    browser.get(app.url("/settings"));
    fixture.fitHeight();

    assertThat(shown(browser.findElement(By.tagName("body")), "[data-passphrase-problem]"))
        .contains("The BACKUP_ENCRYPTION_PASSPHRASE set does not open the off-site copies at NAS",
            "Start Pi-hole Checkpoint with the passphrase they were encrypted with")
        .doesNotContain(WRITTEN_WITH, "not the passphrase of those copies");
    WebElement nas = browser.findElement(By.cssSelector("tr[data-destination='NAS']"));
    WebElement notes = browser.findElement(By.cssSelector("tr[data-adoption-notes-of='NAS']"));
    assertThat(shown(notes, "[data-adoption-notes]")).contains("1 archive skipped: its manifest is not usable");
    assertThat(shown(nas, "[data-status]")).isEqualTo("failed");
    assertThat(shown(nas, "[data-message]")).contains("home/home_20261201T040000Z_bbbbbb.zip.gpg", "it cannot be sent again");
    assertThat(nas.findElements(By.cssSelector("[data-awaiting-read-back]"))).as("every adopted copy was read back").isEmpty();
    WebElement panel = browser.findElement(By.cssSelector("section#offsite"));
    for (WebElement e : java.util.List.of(notes.findElement(By.cssSelector("[data-adoption-notes]")), nas.findElement(By.cssSelector("form[data-offsite-adopt] button")))) {
      assertThat(e.getRect().getX() + e.getRect().getWidth()).as("within the panel, not cut off past its edge: " + e.getText())
          .isLessThanOrEqualTo(panel.getRect().getX() + panel.getRect().getWidth());
    }
    fixture.screenshot("settings-offsite-recovery");
    fixture.screenshot(panel, "settings-offsite-recovery-destination");
  }
}
