package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.BrowserFixture;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.InProcessApp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

/**
 * A sync group of Pi-holes added in the UI, added, previewed, synced, changed and deleted on the
 * Sync page in Chromium with JavaScript off (the forms are plain forms), beside a group of the
 * environment that the page shows read-only.
 */
class SyncGroupBrowserIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final BrowserFixture fixture = BrowserFixture.create().pihole("main", "labpass").pihole("one", "labpass").pihole("envmain", "labpass")
      .pihole("envone", "labpass").env(f -> Map.of("PIHOLE_MAIN_URL", f.pihole("envmain").url(), "PIHOLE_MAIN_PASSWORD", "labpass",
          "PIHOLE_ONE_URL", f.pihole("envone").url(), "PIHOLE_ONE_PASSWORD", "labpass", "SYNC_HOME_PRIMARY", "MAIN", "SYNC_HOME_REPLICAS", "ONE",
          "SYNC_HOME_WHEN", "daily"));

  private final InProcessApp app = fixture.app();
  private final ChromeDriver browser = fixture.browser();

  /** Two Pi-holes added in the UI; the primary holds a domain more than the replica. */
  private void twoOfOurs() throws Exception {
    fixture.pihole("main").archive(Fixtures.archiveB());
    for (Map.Entry<String, String> e : Map.of("Lab Main", "main", "Lab One", "one").entrySet()) {
      HttpResponse<String> added = app.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", e.getKey())
          .put("url", fixture.pihole(e.getValue()).url()).put("password", "labpass").toString());
      assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    }
  }

  private static String shown(WebElement in, String css) {
    WebElement e = in.findElement(By.cssSelector(css));
    assertThat(e.isDisplayed()).as(css + " is displayed").isTrue();
    return e.getText();
  }

  private WebElement section(String group) {
    return browser.findElement(By.cssSelector("section[data-sync-group='" + group + "']"));
  }

  private void submit(String css, String urlEnd) {
    browser.findElement(By.cssSelector(css)).click();
    fixture.waitUpTo(Duration.ofSeconds(60)).until(d -> d.getCurrentUrl().endsWith(urlEnd));
  }

  /** Fills the add form as a person would: a name, the primary, the replicas ticked, a safety-backup choice. */
  private void fillNewGroup(String name, String primary, String replica, String when) {
    browser.findElement(By.id("f-name")).sendKeys(name);
    new Select(browser.findElement(By.id("f-primary"))).selectByVisibleText(primary);
    browser.findElement(By.cssSelector("input[name='replicas'][value='" + replica + "']")).click();
    new Select(browser.findElement(By.id("f-snapshot"))).selectByValue("never");
    browser.findElement(By.id("f-when")).sendKeys(when);
  }

  @Test
  void aGroupAddedOnTheSyncPageWithoutJavaScriptIsPreviewedAndSyncedAndTheEnvironmentsStaysReadOnly() throws Exception {
    twoOfOurs();
    fixture.scriptsOff();
    browser.get(app.url("/sync"));
    assertThat(shown(section("home"), ".facts")).contains("by SYNC_HOME_* variables (read-only here)");
    assertThat(section("home").findElements(By.cssSelector("[data-sync-group-edit]"))).isEmpty();

    submit("[data-sync-group-add]", "/sync-groups/new");
    fillNewGroup("lab", "Lab Main", "Lab One", "");
    submit("form[data-sync-group-form] button[type='submit']", "/sync#sync-lab");

    WebElement lab = section("lab");
    assertThat(shown(lab, "[data-primary]")).isEqualTo("Lab Main");
    assertThat(shown(lab, "h2")).contains("LAB", "Lab One");
    fixture.screenshot("sync-group-added");
    submit("section[data-sync-group='lab'] form[data-sync-preview] button", "/sync#sync-lab");
    WebElement row = browser.findElement(By.cssSelector("section[data-sync-group='lab'] tr[data-replica='Lab One']"));
    assertThat(shown(row, "[data-drift-summary]")).startsWith("differs by +").contains("domain");
    assertThat(fixture.pihole("one").restarts()).as("a preview changes nothing").isZero();
    submit("section[data-sync-group='lab'] form[data-sync-run] button", "/sync#sync-lab");
    fixture.waitUpTo(Duration.ofSeconds(120)).until(d -> {
      d.navigate().refresh(); // without JavaScript the page does not reload itself
      return d.findElements(By.cssSelector("section[data-sync-group='lab'] [data-sync-pending]")).isEmpty();
    });
    row = browser.findElement(By.cssSelector("section[data-sync-group='lab'] tr[data-replica='Lab One']"));
    assertThat(shown(row, "[data-outcome]")).isEqualTo("synced");
    assertThat(shown(row, "[data-changes]")).contains("+1 domain");
    assertThat(fixture.pihole("one").lastImport()).as("the replica was sent its lists").isNotNull();
    fixture.screenshot(section("lab"), "sync-group-synced");
  }

  @Test
  void aRefusedFormComesBackWithWhyBesideTheFieldAndWhatWasChosen() throws Exception {
    twoOfOurs();
    fixture.scriptsOff();
    browser.get(app.url("/sync-groups/new"));

    fillNewGroup("often", "Lab Main", "Lab One", "* * * * * ?");
    browser.findElement(By.cssSelector("form[data-sync-group-form] button[type='submit']")).click();

    fixture.waitUpTo(Duration.ofSeconds(30)).until(d -> !d.findElements(By.id("e-when")).isEmpty());
    assertThat(shown(browser.findElement(By.tagName("main")), "#e-when")).contains("runs more often than once a minute");
    assertThat(browser.findElement(By.id("f-name")).getAttribute("value")).isEqualTo("often");
    assertThat(new Select(browser.findElement(By.id("f-primary"))).getFirstSelectedOption().getText()).isEqualTo("Lab Main");
    assertThat(browser.findElement(By.cssSelector("input[name='replicas'][value='Lab One']")).isSelected()).isTrue();
    JsonNode sync = JSON.readTree(app.get("/api/v1/sync").body());
    assertThat(sync.get("addedHere").findValuesAsText("id")).as("nothing stored").doesNotContain("often");

    browser.findElement(By.id("f-when")).clear();
    new Select(browser.findElement(By.id("f-primary"))).selectByVisibleText("Lab One");
    browser.findElement(By.cssSelector("form[data-sync-group-form] button[type='submit']")).click();

    fixture.waitUpTo(Duration.ofSeconds(30)).until(d -> !d.findElements(By.cssSelector("[data-problem]")).isEmpty());
    assertThat(shown(browser.findElement(By.tagName("main")), "[data-problem]")).contains("is the group's primary");
  }

  @Test
  void aGroupAddedHereIsChangedOnItsFormAndDeletedThere() throws Exception {
    twoOfOurs();
    fixture.scriptsOff();
    browser.get(app.url("/sync-groups/new"));
    fillNewGroup("edit_me", "Lab Main", "Lab One", "");
    submit("form[data-sync-group-form] button[type='submit']", "/sync#sync-edit_me");

    submit("section[data-sync-group='edit_me'] [data-sync-group-edit]", "/sync-groups/edit_me");
    new Select(browser.findElement(By.id("f-mode"))).selectByValue("lists");
    submit("form[data-sync-group-form] button[type='submit']", "/sync#sync-edit_me");

    assertThat(shown(section("edit_me"), ".facts")).contains("lists").doesNotContain("lists-and-dns");
    submit("section[data-sync-group='edit_me'] [data-sync-group-edit]", "/sync-groups/edit_me");
    submit("form[data-sync-group-delete] button", "/sync");
    assertThat(browser.findElements(By.cssSelector("section[data-sync-group='edit_me']"))).isEmpty();
    assertThat(JSON.readTree(app.get("/api/v1/sync").body()).get("addedHere").findValuesAsText("id")).doesNotContain("edit_me");
  }
}
