package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.BrowserFixture;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.InProcessApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The Sync page as a user sees it in Chromium, against fake Pi-holes holding real gravity content:
 * a primary with a domain more than its two replicas, a replica nothing answers for, and a group
 * refused for its mode. Preview and Sync now, with and without JavaScript.
 */
class SyncPageBrowserIT {
  private static final String GONE = goneUrl();
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final BrowserFixture fixture = BrowserFixture.create().pihole("main", "labpass").pihole("one", "labpass").pihole("two", "labpass")
      .env(f -> {
        Map<String, String> env = new HashMap<>(Map.of("PIHOLE_MAIN_URL", f.pihole("main").url(), "PIHOLE_ONE_URL", f.pihole("one").url(),
            "PIHOLE_TWO_URL", f.pihole("two").url(), "PIHOLE_GONE_URL", GONE, "PIHOLE_MAIN_PASSWORD", "labpass", "PIHOLE_ONE_PASSWORD", "labpass",
            "PIHOLE_TWO_PASSWORD", "labpass", "PIHOLE_GONE_PASSWORD", "labpass", "PIHOLE_RETRIES", "0"));
        env.putAll(Map.of("SYNC_HOME_PRIMARY", "MAIN", "SYNC_HOME_REPLICAS", "ONE,TWO", "SYNC_HOME_WHEN", "daily", "SYNC_HOME_SNAPSHOT", "never",
            "SYNC_LOST_PRIMARY", "MAIN", "SYNC_LOST_REPLICAS", "GONE", "SYNC_LOST_WHEN", "daily", "SYNC_LOST_SNAPSHOT", "never",
            "SYNC_LOST_STALE_AFTER", "PT1S"));
        env.putAll(Map.of("SYNC_BAD_PRIMARY", "MAIN", "SYNC_BAD_REPLICAS", "SPARE", "SYNC_BAD_MODE", "exact"));
        return env;
      });

  private final InProcessApp app = fixture.app();
  private final ChromeDriver browser = fixture.browser();

  /** An address where nothing answers any more: a fake Pi-hole started and stopped. */
  private static String goneUrl() {
    try {
      FakePihole gone = FakePihole.start("labpass");
      String url = gone.url();
      gone.close();
      return url;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The primary holds a domain more than the replicas, in its newest backup too: that backup is what replicas are made like. */
  private void primaryHoldsMore() throws Exception {
    fixture.pihole("main").archive(Fixtures.archiveB());
    for (JsonNode i : JSON.readTree(app.get("/api/v1/instances").body()).get("instances")) {
      if (i.get("name").asText().equals("Main")) {
        assertThat(app.post("/api/v1/instances/" + i.get("id").asLong() + "/backups?wait=true").statusCode()).isEqualTo(201);
      }
    }
  }

  private WebElement replica(String group, String name) {
    return browser.findElement(By.cssSelector("section[data-sync-group='" + group + "'] tr[data-replica='" + name + "']"));
  }

  private static String shown(WebElement in, String css) {
    WebElement e = in.findElement(By.cssSelector(css));
    assertThat(e.isDisplayed()).as(css + " is displayed").isTrue();
    return e.getText();
  }

  private void press(String group, String form) {
    WebElement button = browser.findElement(By.cssSelector("section[data-sync-group='" + group + "'] form[" + form + "] button"));
    button.click();
    // the address after a second press is the one the first left: wait for the posted page to replace the old one too
    fixture.waitUpTo(Duration.ofSeconds(60)).until(d -> d.getCurrentUrl().endsWith("/sync#sync-" + group)
        && BrowserFixture.gone(button).apply(d));
  }

  /** Until each replica of the group has run since Sync now: the page reloads itself meanwhile. */
  private void awaitRun(String group) {
    fixture.waitUpTo(Duration.ofSeconds(120)).until(d -> d.findElements(By.cssSelector("section[data-sync-group='" + group + "'] [data-sync-pending]"))
        .isEmpty() && !d.findElements(By.cssSelector("section[data-sync-group='" + group + "']")).isEmpty());
  }

  @Test
  void theNavigationLeadsToEachGroupWithItsPrimaryAndReplicasAndSaysWhyAGroupDoesNotRun() throws Exception {
    browser.get(app.url("/"));

    WebElement link = browser.findElement(By.cssSelector("header nav a[href='/sync']"));
    assertThat(link.isDisplayed()).isTrue();
    link.click();

    fixture.waitUpTo(Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().endsWith("/sync"));
    WebElement home = browser.findElement(By.cssSelector("section[data-sync-group='home']"));
    assertThat(shown(home, "[data-primary]")).isEqualTo("Main");
    assertThat(shown(home, "h2")).contains("HOME", "Main", "One, Two");
    assertThat(replica("home", "One").isDisplayed()).isTrue();
    assertThat(replica("home", "Two").isDisplayed()).isTrue();
    assertThat(home.findElement(By.cssSelector("form[data-sync-run] button")).isDisplayed()).isTrue();
    assertThat(home.findElement(By.cssSelector("form[data-sync-preview] button")).isDisplayed()).isTrue();
    WebElement bad = browser.findElement(By.cssSelector("[data-disabled-group='BAD']"));
    assertThat(bad.isDisplayed()).isTrue();
    assertThat(bad.getText()).contains("SYNC_BAD_MODE=exact is refused");
    assertThat(browser.findElements(By.cssSelector("section[data-sync-group='bad']"))).as("a disabled group has no buttons").isEmpty();
    fixture.fitHeight();
    fixture.screenshot("sync-page");
  }

  @Test
  void previewShowsWhatEachReplicaLacksWithoutJavaScriptAndChangesNothing() throws Exception {
    primaryHoldsMore();
    int restarts = fixture.pihole("one").restarts() + fixture.pihole("two").restarts();
    fixture.scriptsOff();
    browser.get(app.url("/sync"));

    press("home", "data-sync-preview");

    for (String name : new String[] {"One", "Two"}) {
      WebElement row = replica("home", name);
      assertThat(shown(row, "[data-drift-summary]")).startsWith("differs by +").contains("domain");
      row.findElement(By.cssSelector("[data-drift-diff] summary")).click();
      assertThat(shown(row, "[data-drift-diff] ul")).contains("+ Domains: deny exact telemetry.example.com");
    }
    assertThat(fixture.pihole("one").restarts() + fixture.pihole("two").restarts()).as("a preview changes nothing").isEqualTo(restarts);
    fixture.screenshot(replica("home", "One"), "sync-preview");
  }

  @Test
  void syncNowRunsTheGroupAndEachReplicaShowsWhatChangedAndThatItIsInSync() throws Exception {
    primaryHoldsMore();
    browser.get(app.url("/sync"));

    press("home", "data-sync-run");

    awaitRun("home");
    for (String name : new String[] {"One", "Two"}) {
      WebElement row = replica("home", name);
      assertThat(shown(row, "[data-outcome]")).isEqualTo("synced");
      assertThat(shown(row, "[data-message]")).isEqualTo("synced and verified");
      assertThat(shown(row, "[data-changes]")).contains("+1 domain");
      assertThat(shown(row, "[data-drift-summary]")).isEqualTo("in sync");
    }
    assertThat(fixture.pihole("one").lastImport()).as("the replica was sent its lists").isNotNull();
  }

  @Test
  void aReplicaNothingAnswersForFailsAloneAndIsShownFailingOnceItsWindowHasPassed() throws Exception {
    browser.get(app.url("/sync"));

    press("lost", "data-sync-preview");
    assertThat(shown(browser.findElement(By.cssSelector("section[data-sync-group='lost']")), "[data-check-error]")).startsWith("The Preview failed: ");
    press("lost", "data-sync-run");
    awaitRun("lost");

    WebElement gone = replica("lost", "Gone");
    assertThat(shown(gone, "[data-outcome]")).isEqualTo("failed");
    assertThat(gone.findElement(By.cssSelector("[data-message]")).getText()).isNotBlank();
    fixture.waitUpTo(Duration.ofSeconds(30)).until(d -> {
      d.navigate().refresh();
      return !d.findElements(By.cssSelector("tr[data-replica='Gone'] [data-stale]")).isEmpty();
    });
    assertThat(shown(replica("lost", "Gone"), "[data-stale]")).startsWith("failing since ");
    assertThat(browser.findElement(By.cssSelector("section[data-sync-group='lost'] .facts")).getText()).contains("1 s");
    fixture.screenshot(browser.findElement(By.cssSelector("section[data-sync-group='lost']")), "sync-failing-replica");
  }
}
