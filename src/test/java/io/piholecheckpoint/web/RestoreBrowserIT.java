package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.BrowserFixture;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.TestArchives;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A person restores a backup in headless Chromium: contents, preview, restore, verification, undo. */
class RestoreBrowserIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final BrowserFixture fixture = BrowserFixture.create().pihole("home", "labpass")
      .env(f -> Map.of("PIHOLE_HOME_URL", f.pihole("home").url(), "PIHOLE_HOME_PASSWORD", "labpass"));

  private final InProcessApp app = fixture.app();
  private final FakePihole pihole = fixture.pihole("home");
  private final ChromeDriver browser = fixture.browser();

  @Test
  void restoresABackupInTheDefaultModeVerifiesItAndUndoesIt() throws Exception {
    long backup = JSON.readTree(app.post("/api/v1/instances/1/backups?wait=true").body()).get("id").asLong();
    pihole.archive(Fixtures.archiveB()); // someone changed the Pi-hole since
    // the fake and the app are the class's: other cases may have restored to them already
    int restartsBefore = pihole.restarts();
    int restoresBefore = JSON.readTree(app.get("/api/v1/instances/1/restores").body()).get("restores").size();
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));

    browser.get(app.url("/backups/" + backup));
    assertThat(browser.findElement(By.cssSelector("section.contents")).getText()).contains("https://example.org/hosts.txt", "good.example.com");
    browser.findElement(By.cssSelector("details.restore summary")).click();
    browser.findElement(By.cssSelector("[data-restore-preview]")).click();
    wait.until(d -> !d.findElements(By.cssSelector("[data-restore-preview-list] li")).isEmpty());
    assertThat(browser.findElement(By.cssSelector("[data-restore-preview-list]")).getText())
        .contains("− adlists: https://example.com/more-ads.txt", "+ domains: allow exact good.example.com");
    fixture.screenshot("restore-preview");

    browser.executeScript("window.confirm = () => true");
    browser.findElement(By.cssSelector("[data-restore-start]")).click();
    WebElement result = browser.findElement(By.cssSelector("[data-restore-result]"));
    wait.until(d -> result.getText().startsWith("restored and verified"));
    fixture.screenshot("restore-done");
    JsonNode live = JSON.readTree(app.get("/api/v1/backups/" + backup + "/diff?against=live").body());
    assertThat(live.at("/categories/adlists/removed")).isEmpty();
    assertThat(live.at("/categories/domains/added")).isEmpty();

    result.findElement(By.cssSelector("[data-undo]")).click();
    wait.until(d -> d.findElements(By.cssSelector("[data-restore-result] [data-undo]")).size() == 1
        && d.findElement(By.cssSelector("[data-restore-result]")).getText().startsWith("restored and verified")
        && pihole.restarts() == restartsBefore + 2);
    JsonNode afterUndo = JSON.readTree(app.get("/api/v1/backups/" + backup + "/diff?against=live").body());
    assertThat(afterUndo.at("/categories/adlists/removed/0").asText()).as("more-ads.txt is back").isEqualTo("https://example.com/more-ads.txt");

    browser.get(app.url("/instances/1"));
    // Chromium can hand back the old document for a moment after get(): wait for the new page's
    // table (a page rendered without the restores never gets one, and this wait fails)
    wait.until(d -> !d.findElements(By.cssSelector("table.restores tbody tr")).isEmpty());
    assertThat(browser.findElements(By.cssSelector("table.restores tbody tr"))).filteredOn(WebElement::isDisplayed)
        .as(() -> "the instance page, which reads: " + browser.findElement(By.tagName("body")).getText()).hasSize(restoresBefore + 2);
    assertThat(browser.findElement(By.cssSelector("table.history")).getText()).contains("safety backup before restoring backup " + backup);
    // safety backups are pinned, the restored one is not: the badge is seen on exactly those rows
    assertThat(browser.findElements(By.cssSelector("tr.backup"))).allSatisfy(row -> assertThat(row.findElement(By.cssSelector("[data-pinned]")).isDisplayed())
        .as(row.getText()).isEqualTo(row.getText().contains("safety backup before restoring")));
  }

  /** Outsider 46: the preview listed a changed adlist without the fields that changed, which the diff page names; with and without JavaScript. */
  @Test
  void namesTheChangedFieldsOfAChangedItemInThePreview() throws Exception {
    long backup = JSON.readTree(app.post("/api/v1/instances/1/backups?wait=true").body()).get("id").asLong();
    pihole.archive(TestArchives.withAdlistChanged(pihole.currentArchive()));
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    try {
      browser.get(app.url("/backups/" + backup));
      browser.findElement(By.cssSelector("details.restore summary")).click();
      browser.findElement(By.cssSelector("[data-restore-preview]")).click();
      wait.until(d -> !d.findElements(By.cssSelector("[data-restore-preview-list] li")).isEmpty());
      String withScripts = changedAdlist();

      fixture.scriptsOff();
      browser.get(app.url("/backups/" + backup));
      browser.findElement(By.cssSelector("details.restore summary")).click();
      browser.findElement(By.cssSelector("[data-restore-preview]")).click();
      wait.until(d -> d.getCurrentUrl().endsWith("/backups/" + backup + "/restore"));
      String withoutScripts = changedAdlist();

      assertThat(withScripts).startsWith("~ adlists: https://example.org/hosts.txt (").contains("enabled", "comment");
      assertThat(withoutScripts).isEqualTo(withScripts);
    } finally {
      pihole.archive(Fixtures.archiveA());
    }
  }

  /** The preview's line of the changed adlist, as shown. */
  private String changedAdlist() {
    return browser.findElements(By.cssSelector("[data-restore-preview-list] li.changed")).stream().filter(WebElement::isDisplayed)
        .map(WebElement::getText).filter(t -> t.contains("adlists")).findFirst().orElseThrow(() -> new AssertionError(
            "no changed adlist shown in: " + browser.findElement(By.cssSelector("[data-restore-preview-list]")).getText()));
  }

  /** Outsider 51 (F3): the custom radio sat alone on a line above its label, unlike the four modes above it. */
  @Test
  void showsEveryModesRadioOnTheLineOfItsLabelCustomToo() throws Exception {
    long backup = JSON.readTree(app.post("/api/v1/instances/1/backups?wait=true").body()).get("id").asLong();
    browser.get(app.url("/backups/" + backup));
    browser.findElement(By.cssSelector("details.restore summary")).click();
    browser.findElement(By.id("mode-custom")).click();

    java.util.List<WebElement> radios = browser.findElements(By.cssSelector("input[name=mode]"));
    assertThat(radios).hasSizeGreaterThanOrEqualTo(5);
    for (WebElement radio : radios) {
      WebElement label = browser.findElement(By.cssSelector("label[for='" + radio.getAttribute("id") + "']"));
      org.openqa.selenium.Rectangle r = radio.getRect();
      org.openqa.selenium.Rectangle l = label.getRect();
      assertThat(radio.isDisplayed() && label.isDisplayed()).as(radio.getAttribute("id")).isTrue();
      assertThat(l.getY()).as("%s: its label starts on the radio's line", radio.getAttribute("id")).isLessThan(r.getY() + r.getHeight());
      assertThat(l.getX()).as("%s: its label is right of the radio", radio.getAttribute("id")).isGreaterThan(r.getX());
    }
    fixture.screenshot(browser.findElement(By.cssSelector("details.restore")), "restore-modes-custom");
  }

  /** Outsider 41 (6): the part boxes of a custom restore are off while another mode is chosen. */
  @Test
  void offersThePartsOfACustomRestoreOnlyWhileCustomIsChosen() throws Exception {
    long backup = JSON.readTree(app.post("/api/v1/instances/1/backups?wait=true").body()).get("id").asLong();
    browser.get(app.url("/backups/" + backup));
    browser.findElement(By.cssSelector("details.restore summary")).click();
    java.util.function.Supplier<java.util.List<Boolean>> enabled = () -> browser.findElements(By.cssSelector(".custom-parts input[type=checkbox]"))
        .stream().map(WebElement::isEnabled).toList();

    assertThat(enabled.get()).as("the default mode is not custom").isNotEmpty().containsOnly(false);
    browser.findElement(By.id("mode-custom")).click();
    assertThat(enabled.get()).containsOnly(true);
    browser.findElement(By.id("mode-exact")).click();
    assertThat(enabled.get()).containsOnly(false);
  }

  /**
   * Outsider 46: the part boxes showed under every mode, where they do nothing. Without JavaScript they show only while custom
   * is chosen, and a custom preview posted with one ticked comes back with custom chosen and the box shown ticked.
   */
  @Test
  void showsThePartsOfACustomRestoreOnlyWhileCustomIsChosenWithoutJavaScript() throws Exception {
    long backup = JSON.readTree(app.post("/api/v1/instances/1/backups?wait=true").body()).get("id").asLong();
    fixture.scriptsOff();
    browser.get(app.url("/backups/" + backup));
    browser.findElement(By.cssSelector("details.restore summary")).click();
    java.util.function.Supplier<java.util.List<Boolean>> shown = () -> browser.findElements(By.cssSelector(".custom-parts input[type=checkbox]"))
        .stream().map(WebElement::isDisplayed).toList();

    assertThat(shown.get()).as("the default mode").isNotEmpty().containsOnly(false);
    browser.findElement(By.id("mode-exact")).click();
    assertThat(shown.get()).as("exact").containsOnly(false);
    browser.findElement(By.id("mode-custom")).click();
    assertThat(shown.get()).as("custom").containsOnly(true);
    browser.findElement(By.id("part-lists")).click();
    browser.findElement(By.cssSelector("[data-restore-preview]")).click();
    new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> d.getCurrentUrl().endsWith("/backups/" + backup + "/restore"));

    assertThat(browser.findElement(By.id("mode-custom")).isSelected()).isTrue();
    assertThat(browser.findElement(By.id("part-lists")).isDisplayed()).isTrue();
    assertThat(browser.findElement(By.id("part-lists")).isSelected()).isTrue();
    assertThat(browser.findElement(By.cssSelector("[data-restore-preview-list]")).getText()).isNotEmpty();
  }

  /** Outsider 41 (5): a backup of a removed Pi-hole preselected the alphabetically first other one; now none is, and the empty choice is refused. */
  @Test
  void preselectsNoOtherPiholeForABackupWhoseOwnIsRemovedAndRefusesTheEmptyChoice() throws Exception {
    String body = "{\"name\":\"Gone Soon\",\"url\":\"" + pihole.url() + "\",\"password\":\"labpass\"}";
    long gone = JSON.readTree(app.send("POST", "/api/v1/instances", body).body()).get("id").asLong();
    long backup = JSON.readTree(app.post("/api/v1/instances/" + gone + "/backups?wait=true").body()).get("id").asLong();
    assertThat(app.send("DELETE", "/api/v1/instances/" + gone + "?backups=keep", null).statusCode()).isEqualTo(204);
    int restarts = pihole.restarts();
    try {
      fixture.scriptsOff();
      browser.get(app.url("/backups/" + backup));
      browser.findElement(By.cssSelector("details.restore summary")).click();
      assertThat(new Select(browser.findElement(By.name("target"))).getFirstSelectedOption().getText()).isEqualTo("— choose a Pi-hole —");
      assertThat(browser.findElement(By.cssSelector("[data-owner-removed]")).getText())
          .isEqualTo("This backup's own Pi-hole, Gone Soon, is removed: choose the Pi-hole to restore it to.");
      fixture.screenshot("restore-owner-removed");

      browser.findElement(By.cssSelector("[data-restore-preview]")).click();
      // the post loads a new page: the old one's result can go stale under the wait
      new WebDriverWait(browser, Duration.ofSeconds(60)).ignoring(StaleElementReferenceException.class)
          .until(d -> d.findElement(By.cssSelector("[data-restore-result]")).getText().startsWith("Choose the Pi-hole to restore this backup to"));
      assertThat(new Select(browser.findElement(By.name("target"))).getFirstSelectedOption().getText()).as("still none chosen").isEqualTo("— choose a Pi-hole —");

      browser.executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", false)); // the script asks the API: not with no Pi-hole
      browser.get(app.url("/backups/" + backup));
      browser.findElement(By.cssSelector("details.restore summary")).click();
      browser.findElement(By.cssSelector("[data-restore-preview]")).click();
      new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> d.findElement(By.cssSelector("[data-restore-result]")).getText()
          .equals("Choose the Pi-hole to restore this backup to: its own Pi-hole is removed."));
      assertThat(pihole.restarts()).as("nothing restored anywhere").isEqualTo(restarts);
    } finally {
      app.send("DELETE", "/api/v1/instances/" + gone + "?backups=delete", null);
    }
  }

  /** Two backups that differ only in the 2FA secret: the diff, the history row and the exact restore's preview say so, visibly. */
  @Test
  void showsA2faChangeInTheDiffAndTheHistoryAndWarnsBeforeAnExactRestore() throws Exception {
    String totp = "JBSWY3DPEHPK3PXPBROWSERSEED";
    pihole.archive(Fixtures.archiveA());
    long without = JSON.readTree(app.post("/api/v1/instances/1/backups?wait=true").body()).get("id").asLong();
    pihole.archive(TestArchives.withSetting(Fixtures.archiveA(), "totp_secret", totp));
    long with = JSON.readTree(app.post("/api/v1/instances/1/backups?wait=true").body()).get("id").asLong();
    try {
      browser.get(app.url("/backups/" + with + "?diff=" + without));
      WebElement change = browser.findElement(By.cssSelector("section.diff [data-secret-change]"));
      assertThat(change.isDisplayed()).isTrue();
      assertThat(change.getText()).isEqualTo("~ webserver.api.totp_secret: (not set) \u2192 (secret) \u2014 2FA enabled");
      assertThat(browser.getPageSource()).doesNotContain(totp);
      fixture.screenshot("diff-secret-change");

      browser.get(app.url("/instances/1"));
      WebElement newest = browser.findElement(By.cssSelector("table.history [data-changes]"));
      assertThat(newest.isDisplayed()).isTrue();
      assertThat(newest.getText()).isEqualTo("2FA enabled");
      fixture.screenshot("history-secret-change");

      browser.get(app.url("/backups/" + without));
      browser.findElement(By.cssSelector("details.restore summary")).click();
      browser.findElement(By.id("mode-exact")).click();
      browser.findElement(By.cssSelector("[data-restore-preview]")).click();
      new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> !d.findElements(By.cssSelector("[data-restore-preview-list] li")).isEmpty());
      WebElement first = browser.findElement(By.cssSelector("[data-restore-preview-list] li"));
      assertThat(first.getAttribute("class")).as("the warning comes first").isEqualTo("warning");
      assertThat(first.isDisplayed()).isTrue();
      assertThat(first.getText()).contains("2FA will be switched off");
      assertThat(browser.getPageSource()).doesNotContain(totp);
      fixture.screenshot("restore-preview-2fa");
    } finally {
      pihole.archive(Fixtures.archiveA());
    }
  }
  /**
   * Outsider 51 (F4): Restore pressed without a Preview asked only "Restore this backup now?" and imported, though the restore
   * switches 2FA off. Now the page shows the dry run's warnings first and the confirmation carries them; declined, nothing changes.
   */
  @Test
  void showsThe2faWarningAndAsksAboutItWhenRestoreIsPressedWithoutAPreview() throws Exception {
    pihole.archive(Fixtures.archiveA());
    long without = JSON.readTree(app.post("/api/v1/instances/1/backups?wait=true").body()).get("id").asLong();
    pihole.archive(TestArchives.withSetting(Fixtures.archiveA(), "totp_secret", "JBSWY3DPEHPK3PXPBROWSERASKS"));
    int restartsBefore = pihole.restarts();
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    try {
      browser.get(app.url("/backups/" + without));
      browser.findElement(By.cssSelector("details.restore summary")).click();
      browser.findElement(By.id("mode-exact")).click();
      // the first question is declined, the second accepted; each is kept to be read
      browser.executeScript("window.asked = []; window.confirm = (q) => { window.asked.push(q); return window.asked.length > 1; }");
      browser.findElement(By.cssSelector("[data-restore-start]")).click();
      wait.until(d -> ((Number) browser.executeScript("return window.asked.length")).intValue() == 1);

      assertThat((String) browser.executeScript("return window.asked[0]")).startsWith("Restore this backup now?").contains("2FA will be switched off");
      WebElement first = browser.findElement(By.cssSelector("[data-restore-preview-list] li"));
      assertThat(first.getAttribute("class")).as("the warning comes first").isEqualTo("warning");
      assertThat(first.isDisplayed()).isTrue();
      assertThat(first.getText()).contains("2FA will be switched off");
      fixture.screenshot("restore-asks-about-2fa");
      assertThat(pihole.restarts()).as("declined: nothing imported").isEqualTo(restartsBefore);

      browser.findElement(By.cssSelector("[data-restore-start]")).click();
      // ended: the outcome offers to undo it
      wait.until(d -> d.findElements(By.cssSelector("[data-restore-result] [data-undo]")).size() == 1);
      assertThat(pihole.restarts()).as("accepted: imported").isEqualTo(restartsBefore + 1);
      assertThat((String) browser.executeScript("return window.asked[1]")).contains("2FA will be switched off");
    } finally {
      pihole.archive(Fixtures.archiveA());
    }
  }

  /** Outsider 33 (M1): the settings the Pi-hole refused are in the record, and now shown where the restore ends, not only in the API. */
  @Test
  void showsTheSettingsThePiholeRefusedWhereTheRestoreEnds() throws Exception {
    long backup = JSON.readTree(app.post("/api/v1/instances/1/backups?wait=true").body()).get("id").asLong();
    pihole.archive(Fixtures.archiveB());
    pihole.forceKeys("dns.upstreams"); // set by FTLCONF_dns_upstreams on the Pi-hole: PATCH refuses it
    try {
      browser.get(app.url("/backups/" + backup));
      browser.findElement(By.cssSelector("details.restore summary")).click();
      browser.findElement(By.id("mode-all-but-identity")).click();
      browser.executeScript("window.confirm = () => true");
      browser.findElement(By.cssSelector("[data-restore-start]")).click();
      WebElement result = browser.findElement(By.cssSelector("[data-restore-result]"));
      new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> result.getText().startsWith("restored and verified"));

      assertThat(result.getText()).contains("(1 setting(s) refused by the Pi-hole)").contains("settings refused or not applied: dns.upstreams:");
    } finally {
      pihole.forceKeys();
      pihole.archive(Fixtures.archiveA());
    }
  }

  /**
   * Without JavaScript the form is posted: Preview shows what would change, Restore without the tick changes nothing and says
   * why (422), with it the restore starts and the page follows it, reloading itself, until it is verified.
   */
  @Test
  void restoresWithoutJavaScriptAfterAPreviewAndATick() throws Exception {
    long backup = JSON.readTree(app.post("/api/v1/instances/1/backups?wait=true").body()).get("id").asLong();
    pihole.archive(Fixtures.archiveB());
    int restartsBefore = pihole.restarts();
    fixture.scriptsOff();
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));

    browser.get(app.url("/backups/" + backup));
    browser.findElement(By.cssSelector("details.restore summary")).click();
    browser.findElement(By.cssSelector("[data-restore-preview]")).click();
    wait.until(d -> d.getCurrentUrl().endsWith("/backups/" + backup + "/restore"));
    WebElement preview = browser.findElement(By.cssSelector("[data-restore-preview-list]"));
    assertThat(preview.isDisplayed()).as("the panel is open after the post").isTrue();
    assertThat(preview.getText()).contains("\u2212 adlists: https://example.com/more-ads.txt", "+ domains: allow exact good.example.com");
    assertThat(browser.findElement(By.id("mode-lists-and-dns")).isSelected()).isTrue();
    fixture.screenshot("restore-preview-without-javascript");

    browser.findElement(By.cssSelector("[data-restore-start]")).click();
    // the post replaces the page: the result element found may be the old document's, gone by the time it is read
    wait.ignoring(StaleElementReferenceException.class)
        .until(d -> d.findElement(By.cssSelector("[data-restore-result]")).getText().startsWith("Tick \"Yes, restore this backup now\""));
    assertThat(browser.findElement(By.cssSelector("[data-restore-result]")).isDisplayed()).isTrue();
    assertThat(browser.findElement(By.cssSelector("[data-restore-preview-list]")).getText()).as("no preview with a refusal").isEmpty();
    assertThat(pihole.restarts()).as("nothing was sent to the Pi-hole").isEqualTo(restartsBefore);

    browser.findElement(By.id("restore-confirm")).click();
    browser.findElement(By.cssSelector("[data-restore-start]")).click();
    wait.until(d -> d.getCurrentUrl().contains("/backups/" + backup + "?restore="));
    // while the restore runs the page offers to look again (its 2 s refresh did not fire here, in headless Chromium
    // without scripts); it ends on the verified outcome and a way to undo it
    wait.ignoring(StaleElementReferenceException.class).until(d -> {
      WebElement result = d.findElement(By.cssSelector("[data-restore-result]"));
      if (result.getText().startsWith("restored and verified")) {
        return true;
      }
      result.findElement(By.cssSelector("[data-follow]")).click();
      return false;
    });
    WebElement done = browser.findElement(By.cssSelector("[data-restore-result]"));
    assertThat(done.isDisplayed()).isTrue();
    assertThat(done.findElement(By.cssSelector("[data-undo-link]")).getText()).startsWith("Undo: restore the safety backup");
    assertThat(browser.findElements(By.cssSelector("meta[http-equiv=refresh]"))).as("a finished restore is not reloaded").isEmpty();
    fixture.screenshot("restore-done-without-javascript");
    JsonNode live = JSON.readTree(app.get("/api/v1/backups/" + backup + "/diff?against=live").body());
    assertThat(live.at("/categories/adlists/removed")).isEmpty();
    assertThat(live.at("/categories/domains/added")).isEmpty();
  }
}
