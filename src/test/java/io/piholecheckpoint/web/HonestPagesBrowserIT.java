package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.core.units.ByteSize;
import io.piholecheckpoint.testing.BrowserFixture;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.TestArchives;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What a person sees in Chromium, not what the markup says: the pinned badge only on pinned
 * backups (checked by visibility), and sizes in human units, the same from the server and from
 * app.js. Screenshots go to target/screenshots.
 */
class HonestPagesBrowserIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HUMAN = "(\\d{1,3} B|\\d{1,3}\\.\\d [kMGTPE]B)";

  @RegisterExtension
  static final BrowserFixture fixture = BrowserFixture.create().pihole("home", "labpass")
      .env(f -> Map.of("PIHOLE_HOME_URL", f.pihole("home").url(), "PIHOLE_HOME_PASSWORD", "labpass"));

  private static final List<Long> backups = new ArrayList<>();

  private final InProcessApp app = fixture.app();
  private final ChromeDriver browser = fixture.browser();

  /** Three backups of the instance from the environment, the middle one pinned; tests leave them so. */
  @BeforeAll
  static void backUp() throws Exception {
    for (int i = 0; i < 3; i++) {
      backups.add(JSON.readTree(fixture.app().post("/api/v1/instances/1/backups?wait=true").body()).get("id").asLong());
    }
    assertThat(fixture.app().post("/api/v1/backups/" + backups.get(1) + "/pin").statusCode()).isEqualTo(200);
  }

  private WebElement row(long backup) {
    return browser.findElement(By.cssSelector("tr.backup[data-backup='" + backup + "']"));
  }

  private boolean badgeShown(long backup) {
    return row(backup).findElement(By.cssSelector("[data-pinned]")).isDisplayed();
  }

  private void screenshot(WebElement element, String name) throws Exception {
    fixture.fitHeight();
    fixture.screenshot(element, name);
  }

  @Test
  void showsThePinnedBadgeOnlyOnPinnedBackupsAndFollowsPinAndUnpin() throws Exception {
    browser.get(app.url("/instances/1"));

    assertThat(backups).allSatisfy(b -> assertThat(badgeShown(b)).as("badge of backup %d", b).isEqualTo(b.equals(backups.get(1))));
    screenshot(browser.findElement(By.cssSelector("table.history")), "instance-history-pinned-and-unpinned");

    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    long newest = backups.get(2);
    row(newest).findElement(By.cssSelector("[data-pin]")).click();
    wait.until(d -> badgeShown(newest));
    row(newest).findElement(By.cssSelector("[data-pin]")).click();
    wait.until(d -> !badgeShown(newest));
    assertThat(badgeShown(backups.get(1))).isTrue();
  }

  /** A row app.js adds after "Back up now" carries the same (hidden) badge and buttons as one the server draws. */
  @Test
  void aBackupAddedWithoutReloadCanBePinnedAndShowsTheBadgeOnlyThen() {
    browser.get(app.url("/instances/1"));
    int before = browser.findElements(By.cssSelector("tr.backup")).size();
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));

    browser.findElement(By.cssSelector("form.backup-now button")).click();
    wait.until(d -> d.findElements(By.cssSelector("tr.backup")).size() == before + 1);

    WebElement added = browser.findElement(By.cssSelector("tr.backup"));
    assertThat(added.findElement(By.cssSelector("[data-pinned]")).isDisplayed()).isFalse();
    added.findElement(By.cssSelector("[data-pin]")).click();
    wait.until(d -> added.findElement(By.cssSelector("[data-pinned]")).isDisplayed());
    added.findElement(By.cssSelector("[data-pin]")).click();
    wait.until(d -> !added.findElement(By.cssSelector("[data-pinned]")).isDisplayed());
    assertThat(added.findElement(By.cssSelector("[data-delete]")).isDisplayed()).isTrue();
  }

  /**
   * Without JavaScript the row buttons are forms: pin and unpin come back to the page they were pressed on (its filter
   * kept), delete asks first on a page of its own, refuses a pinned backup there, and deletes only once confirmed.
   */
  @Test
  void pinsUnpinsAndDeletesABackupWithoutJavaScript() throws Exception {
    long extra = JSON.readTree(app.post("/api/v1/instances/1/backups?wait=true").body()).get("id").asLong();
    fixture.scriptsOff();
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    String page = app.url("/instances/1?trigger=manual");
    browser.get(page);

    press(row(extra).findElement(By.cssSelector("[data-pin]")), wait);
    assertThat(browser.getCurrentUrl()).isEqualTo(page);
    assertThat(badgeShown(extra)).as("pinned, as the page now shows").isTrue();
    assertThat(JSON.readTree(app.get("/api/v1/backups/" + extra).body()).get("pinned").asBoolean()).isTrue();

    press(row(extra).findElement(By.cssSelector("[data-delete]")), wait);
    WebElement asked = browser.findElement(By.cssSelector("[data-delete-confirmation]"));
    assertThat(asked.getText()).contains("Delete backup " + extra + "?", "It is pinned: unpin it first");
    assertThat(browser.findElement(By.cssSelector("[data-delete-confirm]")).isEnabled()).isFalse();
    browser.findElement(By.linkText("Cancel")).click();
    wait.until(d -> d.getCurrentUrl().equals(page));

    press(row(extra).findElement(By.cssSelector("[data-pin]")), wait);
    assertThat(badgeShown(extra)).as("unpinned").isFalse();
    press(row(extra).findElement(By.cssSelector("[data-delete]")), wait);
    assertThat(app.get("/api/v1/backups/" + extra).statusCode()).as("asked, not yet deleted").isEqualTo(200);
    fixture.screenshot("delete-backup-without-javascript");
    press(browser.findElement(By.cssSelector("[data-delete-confirm]")), wait);

    assertThat(browser.getCurrentUrl()).isEqualTo(page);
    assertThat(browser.findElements(By.cssSelector("tr.backup[data-backup='" + extra + "']"))).isEmpty();
    assertThat(app.get("/api/v1/backups/" + extra).statusCode()).isEqualTo(404);
  }

  /**
   * Outsider 45: a deliberate clean-up made every later backup suspicious with no way out. Without JavaScript, "Accept
   * this change" on the suspicious row makes it an accepted one: the button and the warning go, the badge shows, the API
   * agrees, and the next backup of the same content is not suspicious. Checked by visibility.
   */
  @Test
  void acceptsASuspiciousBackupFromItsRowWithoutJavaScript() throws Exception {
    byte[] full = fixture.pihole("home").currentArchive();
    fixture.pihole("home").archive(TestArchives.withoutAdlists(full));
    try {
      long cleaned = JSON.readTree(app.post("/api/v1/instances/1/backups?wait=true").body()).get("id").asLong();
      fixture.scriptsOff();
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
      String page = app.url("/instances/1");
      browser.get(page);
      assertThat(row(cleaned).findElements(By.cssSelector("[data-accepted]"))).as("not accepted yet").isEmpty();
      assertThat(row(cleaned).findElement(By.cssSelector("[data-accept]")).isDisplayed()).isTrue();
      long others = browser.findElements(By.cssSelector("[data-accept]")).stream().filter(WebElement::isDisplayed).count();

      press(row(cleaned).findElement(By.cssSelector("[data-accept]")), wait);

      assertThat(browser.getCurrentUrl()).isEqualTo(page);
      assertThat(row(cleaned).findElement(By.cssSelector("[data-accepted]")).isDisplayed()).isTrue();
      assertThat(row(cleaned).findElements(By.cssSelector("[data-accept]"))).isEmpty();
      assertThat(browser.findElements(By.cssSelector("[data-accept]")).stream().filter(WebElement::isDisplayed).count()).isEqualTo(others - 1);
      var json = JSON.readTree(app.get("/api/v1/backups/" + cleaned).body());
      assertThat(json.get("accepted").asBoolean()).isTrue();
      assertThat(json.get("suspicious").asBoolean()).isFalse();
      assertThat(JSON.readTree(app.post("/api/v1/instances/1/backups?wait=true").body()).get("suspicious").asBoolean()).isFalse();
    } finally {
      fixture.pihole("home").archive(full);
    }
  }

  /** Outsider 46: the instance page showed an accepted backup's badge, the dashboard and the backup's own page did not. */
  @Test
  void showsTheAcceptedBadgeOnTheDashboardTheHistoryAndTheBackupPage() throws Exception {
    long cleaned = suspiciousBackup();
    assertThat(app.post("/api/v1/backups/" + cleaned + "/accept").statusCode()).isEqualTo(200);

    for (String page : List.of("/", "/instances/1")) {
      browser.get(app.url(page));
      assertThat(row(cleaned).findElement(By.cssSelector("[data-accepted]")).isDisplayed()).as(page).isTrue();
    }
    browser.get(app.url("/backups/" + cleaned));
    assertThat(browser.findElement(By.cssSelector("[data-backup-marks] [data-accepted]")).isDisplayed()).isTrue();
    browser.get(app.url("/backups/" + backups.get(0)));
    assertThat(browser.findElements(By.cssSelector("[data-accepted]"))).isEmpty();
  }

  /** Outsider 46: an accept could not be taken back. Without JavaScript, "Undo accept" makes the backup suspicious again. */
  @Test
  void takesAnAcceptBackFromItsRowWithoutJavaScript() throws Exception {
    long cleaned = suspiciousBackup();
    assertThat(app.post("/api/v1/backups/" + cleaned + "/accept").statusCode()).isEqualTo(200);
    fixture.scriptsOff();
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    String page = app.url("/instances/1");
    browser.get(page);
    assertThat(row(cleaned).findElements(By.cssSelector("[data-accept]"))).isEmpty();

    press(row(cleaned).findElement(By.cssSelector("[data-unaccept]")), wait);

    assertThat(browser.getCurrentUrl()).isEqualTo(page);
    assertThat(row(cleaned).findElements(By.cssSelector("[data-accepted], [data-unaccept]"))).isEmpty();
    assertThat(row(cleaned).findElement(By.cssSelector("[data-suspicious]")).isDisplayed()).isTrue();
    assertThat(row(cleaned).findElement(By.cssSelector("[data-accept]")).isDisplayed()).as("it can be accepted again").isTrue();
    var json = JSON.readTree(app.get("/api/v1/backups/" + cleaned).body());
    assertThat(json.get("accepted").asBoolean()).isFalse();
    assertThat(json.get("suspicious").asBoolean()).isTrue();
  }

  /** A backup of the Pi-hole with its adlists deleted, flagged suspicious; the Pi-hole holds them again afterwards. */
  private long suspiciousBackup() throws Exception {
    byte[] full = fixture.pihole("home").currentArchive();
    fixture.pihole("home").archive(TestArchives.withoutAdlists(full));
    try {
      var cleaned = JSON.readTree(app.post("/api/v1/instances/1/backups?wait=true").body());
      assertThat(cleaned.get("suspicious").asBoolean()).isTrue();
      return cleaned.get("id").asLong();
    } finally {
      fixture.pihole("home").archive(full);
    }
  }

  /** A form's {@code back} that leads anywhere but this instance's page is not followed. */
  @Test
  void aDeletionLeadsOnlyBackToTheInstancePage() throws Exception {
    long extra = JSON.readTree(app.post("/api/v1/instances/1/backups?wait=true").body()).get("id").asLong();
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    browser.get(app.url("/instances/1"));
    WebElement delete = row(extra).findElement(By.cssSelector("[data-delete]"));
    // the form itself, as a browser without JavaScript sends it, with its way back changed
    browser.executeScript("arguments[0].form.submit()", delete);
    wait.until(d -> !d.findElements(By.cssSelector("[data-delete-confirmation]")).isEmpty());
    WebElement confirm = browser.findElement(By.cssSelector("[data-delete-confirm]"));
    browser.executeScript("arguments[0].form.elements.back.value = '//evil.example/instances/1'", confirm);
    confirm.click();

    wait.until(d -> d.getCurrentUrl().equals(app.url("/instances/1")));
    assertThat(app.get("/api/v1/backups/" + extra).statusCode()).isEqualTo(404);
  }

  /** Clicks a button that sends its form, and waits for the page that answers it. */
  private void press(WebElement button, WebDriverWait wait) {
    button.click();
    wait.until(BrowserFixture.gone(button));
  }

  @Test
  void showsEverySizeOnThePagesInHumanUnits() throws Exception {
    browser.get(app.url("/"));
    String summary = browser.findElement(By.cssSelector("[data-summary]")).getText();
    assertThat(summary).matches("Backups take " + HUMAN + "; " + HUMAN + " free on the backup disk\\..*");
    screenshot(browser.findElement(By.cssSelector("main")), "dashboard-sizes");

    browser.get(app.url("/settings"));
    assertThat(browser.findElement(By.tagName("main")).getText()).containsPattern(HUMAN + " free of " + HUMAN);
    screenshot(browser.findElement(By.cssSelector("main")), "settings-disk-sizes");

    browser.get(app.url("/instances/1"));
    long bytes = JSON.readTree(app.get("/api/v1/backups/" + backups.get(0)).body()).get("size").asLong();
    assertThat(row(backups.get(0)).findElements(By.tagName("td")).get(1).getText()).isEqualTo(ByteSize.format(bytes));
    assertThat(browser.findElement(By.cssSelector(".cards")).getText()).containsPattern(HUMAN);
  }

  /** app.js shows sizes it gets as bytes (progress, new rows): it must say what the server would. */
  @Test
  void appJsFormatsSizesAsTheServerDoes() {
    browser.get(app.url("/"));
    List<Long> sizes = new ArrayList<>(List.of(-1L, 0L, 1L, 999L, 1000L, 1049L, 1050L, 22_730L, 999_949L, 999_950L,
        999_949_999L, 999_950_000L, 84_681_700_000L, 9_007_199_254_740_991L));
    Random random = new Random(13);
    for (int i = 0; i < 2000; i++) {
      sizes.add((long) Math.floor(Math.pow(10, random.nextDouble() * 15.9)));
    }

    @SuppressWarnings("unchecked")
    List<String> shown = (List<String>) browser.executeScript("return arguments[0].map((b) => formatSize(b))", sizes);

    for (int i = 0; i < sizes.size(); i++) {
      assertThat(shown.get(i)).as("%d bytes", sizes.get(i)).isEqualTo(ByteSize.format(sizes.get(i)));
    }
  }
}
