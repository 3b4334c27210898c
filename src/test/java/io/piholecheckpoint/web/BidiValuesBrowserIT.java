package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.HeadlessChromium;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.LargeArchives;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Outsiders' round 43–44: a U+202E (right-to-left override) in an archive's comment or name reversed the rest of the line
 * it was shown on, the app's own words included. What is asserted is where the browser draws the words, left to right.
 */
class BidiValuesBrowserIT {
  private static final String RLO = "\u202E";

  @TempDir
  static Path dir;

  private static FakePihole pihole;
  private static InProcessApp app;
  private static long before;
  private static long after;
  private static long withOddEntry;

  @BeforeAll
  static void importBackupsWithOverrides() throws Exception {
    Path fixture = Files.write(dir.resolve("base.zip"), Fixtures.archiveA());
    Path first = LargeArchives.edited(dir, "first", fixture,
        "INSERT INTO \"group\"(name, enabled, description) VALUES ('gamma" + RLO + "evil', 0, 'x')",
        "INSERT INTO domainlist(type, domain, enabled, date_added, date_modified, comment) VALUES (1, 'bidi.example', 1, 0, 0, 'left" + RLO + "right')");
    Path second = LargeArchives.edited(dir, "second", first, "UPDATE domainlist SET comment = 'plain' WHERE domain = 'bidi.example'");
    pihole = FakePihole.start("labpass");
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass"));
    before = imported(first);
    after = imported(second);
    withOddEntry = imported(withEntry(second, "etc/dnsmasq.d/" + RLO + "gnp.conf"));
  }

  /** {@code archive} with one more entry of that name. */
  private static Path withEntry(Path archive, String name) throws Exception {
    Path copy = dir.resolve("odd.zip");
    try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(archive.toFile());
         java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(copy))) {
      for (java.util.zip.ZipEntry entry : java.util.Collections.list(in.entries())) {
        out.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
        in.getInputStream(entry).transferTo(out);
      }
      out.putNextEntry(new java.util.zip.ZipEntry(name));
      out.write("x".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return copy;
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (pihole != null) {
      pihole.close();
    }
  }

  private static long imported(Path archive) throws Exception {
    HttpResponse<String> response = app.upload("/api/v1/instances/1/backups/import", "file", archive.getFileName().toString(), Files.readAllBytes(archive));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return new ObjectMapper().readTree(response.body()).get("id").asLong();
  }

  @Test
  void anOverrideInAChangedCommentLeavesTheDiffLineInItsOrderAndIsShown() {
    ChromeDriver browser = HeadlessChromium.shared();
    browser.get(app.url("/backups/" + after + "?diff=" + before));
    WebElement line = browser.findElement(By.xpath("//section[@data-diff]//li[contains(., 'left')]"));

    assertThat(line.getText()).contains("left\u27e8U+202E\u27e9right");
    assertThat(leftEdges(browser, line, "comment:", "left", "right", "\u2192", "plain")).isSorted();
  }

  @Test
  void anOverrideInAGroupsNameLeavesTheContentsLineInItsOrderAndIsShown() {
    ChromeDriver browser = HeadlessChromium.shared();
    browser.get(app.url("/backups/" + before));
    WebElement line = browser.findElement(By.xpath("//section[contains(@class, 'contents')]//li[contains(., 'gamma')]"));

    assertThat(line.getText()).contains("gamma\u27e8U+202E\u27e9evil");
    assertThat(leftEdges(browser, line, "gamma", "evil", "(disabled)")).isSorted();
  }

  /** Outsider 47 F2: the history's and the dashboard's change line printed an entry's U+202E raw, and the words after it came out reversed. */
  @Test
  void anOverrideInAnEntryNameLeavesTheHistoryAndDashboardChangeLinesInTheirOrderAndIsShown() {
    ChromeDriver browser = HeadlessChromium.shared();
    for (String page : java.util.List.of("/instances/1", "/")) {
      browser.get(app.url(page));
      WebElement line = browser.findElement(By.cssSelector("tr[data-backup='" + withOddEntry + "'] [data-changes]"));

      assertThat(line.getText()).as(page).contains("etc/dnsmasq.d/\u27e8U+202E\u27e9gnp.conf added");
      assertThat(readingOrder(browser, line, "differs:", "gnp", "conf", "added")).as(page).isSorted();
    }
  }

  /**
   * Outsider 47 F4: a restore's outcome quoted the differing items raw. A group named with a U+202E reversed the rest of it, the
   * link to undo the restore included, and a 10,000-character name made the page 94,789 px wide.
   */
  @Test
  void aRestoresOutcomeSetsItsItemsApartWritesOutTheOverrideAndCutsALongName() throws Exception {
    Path fixture = Files.write(dir.resolve("base-restore.zip"), Fixtures.archiveA());
    Path hostile = LargeArchives.edited(dir, "hostile", fixture,
        "INSERT INTO \"group\"(name, enabled, description) VALUES ('" + RLO + "gnp.exe', 1, 'x')",
        "INSERT INTO \"group\"(name, enabled, description) VALUES ('" + "y".repeat(10_000) + "', 1, 'x')");
    pihole.importLeaves(Files.readAllBytes(hostile));
    HttpResponse<String> started = app.send("POST", "/api/v1/backups/" + after + "/restore", "{\"mode\":\"lists\"}");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    long restore = new ObjectMapper().readTree(started.body()).at("/restore/id").asLong();
    io.piholecheckpoint.testing.Eventually.until("the restore ended", java.time.Duration.ofSeconds(60),
        () -> new ObjectMapper().readTree(app.get("/api/v1/restores/" + restore).body()).get("state").asText().equals("different"));

    ChromeDriver browser = HeadlessChromium.shared();
    browser.get(app.url("/backups/" + after + "?restore=" + restore));
    WebElement outcome = browser.findElement(By.cssSelector("output[data-restore-result]"));

    assertThat(outcome.getText()).contains("unexpected groups: \u27e8U+202E\u27e9gnp.exe").contains("… (cut: 10,019 characters)");
    assertThat(readingOrder(browser, outcome, "gnp", "exe", "Undo", "safety")).isSorted();
    assertThat(((Number) browser.executeScript("return document.documentElement.scrollWidth - window.innerWidth")).longValue())
        .as("the page is no wider than the window").isLessThanOrEqualTo(0);
  }

  /** Outsider 47 F15: the Preview the page's script draws printed a group named with a U+202E raw, "+ groups: exe.png". */
  @Test
  void thePreviewThePagesScriptDrawsSetsItsValuesApartAndWritesOutTheOverride() {
    ChromeDriver browser = HeadlessChromium.shared();
    browser.get(app.url("/backups/" + before));
    browser.findElement(By.cssSelector("details.restore summary")).click();
    browser.findElement(By.cssSelector("[data-restore-preview]")).click();
    By gamma = By.xpath("//ul[@data-restore-preview-list]/li[contains(., 'gamma')]");
    new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(60)).until(d -> !d.findElements(gamma).isEmpty());
    WebElement line = browser.findElement(gamma);

    assertThat(line.getText()).contains("gamma\u27e8U+202E\u27e9evil");
    assertThat(leftEdges(browser, line, "groups:", "gamma", "evil")).isSorted();
  }

  /**
   * Outsider 47b F4: the Sync page's Preview printed a 10,000-character group name of the primary's backup whole. Each value of
   * the Preview is set apart, written out and cut as the page's other archive values are; the page has no script of its own
   * for it, so what a browser without JavaScript gets is the same page.
   */
  @Test
  void theSyncPreviewSetsItsValuesApartWritesOutTheOverrideAndCutsALongName() throws Exception {
    Path hostile = LargeArchives.edited(dir, "sync-hostile", Files.write(dir.resolve("base-sync.zip"), Fixtures.archiveA()),
        "INSERT INTO \"group\"(name, enabled, description) VALUES ('" + RLO + "gnp.exe', 1, 'x')",
        "INSERT INTO \"group\"(name, enabled, description) VALUES ('" + "x".repeat(10_000) + "', 1, 'x')");
    try (FakePihole primary = FakePihole.start("labpass"); FakePihole replica = FakePihole.start("labpass")) {
      primary.archive(Files.readAllBytes(hostile));
      long primaryId = added("Prime", primary);
      added("Rep", replica);
      HttpResponse<String> backup = app.post("/api/v1/instances/" + primaryId + "/backups?wait=true");
      assertThat(backup.statusCode()).as(backup.body()).isEqualTo(201);
      HttpResponse<String> group = app.send("POST", "/api/v1/sync/groups", "{\"name\":\"bidi\",\"primary\":\"Prime\",\"replicas\":[\"Rep\"],\"snapshot\":\"never\"}");
      assertThat(group.statusCode()).as(group.body()).isEqualTo(201);

      ChromeDriver browser = HeadlessChromium.shared();
      browser.get(app.url("/sync"));
      browser.findElement(By.cssSelector("section[data-sync-group='bidi'] form[data-sync-preview] button")).click();
      By diff = By.cssSelector("section[data-sync-group='bidi'] tr[data-replica='Rep'] [data-drift-diff]");
      new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(60)).until(d -> !d.findElements(diff).isEmpty());
      browser.findElement(diff).findElement(By.tagName("summary")).click();
      WebElement override = browser.findElement(diff).findElement(By.xpath(".//li[contains(., 'gnp')]"));
      WebElement longName = browser.findElement(diff).findElement(By.xpath(".//li[contains(., 'xxxxxxxxxx')]"));

      assertThat(override.getText()).isEqualTo("+ Groups: \u27e8U+202E\u27e9gnp.exe");
      assertThat(longName.getText()).isEqualTo("+ Groups: " + "x".repeat(300) + "… (cut: 10,000 characters)");
      assertThat(longName.findElement(By.tagName("bdi")).getText()).isEqualTo("x".repeat(300));
      assertThat(((Number) browser.executeScript("return document.documentElement.scrollWidth - window.innerWidth")).longValue())
          .as("the page is no wider than the window").isLessThanOrEqualTo(0);
      assertThat(app.get("/sync").body()).as("the page without JavaScript").doesNotContain("x".repeat(301))
          .contains("<bdi>" + "x".repeat(300) + "</bdi><span class=\"cut\" data-cut>&hellip; (cut: 10,000 characters)</span>")
          .doesNotContain(RLO);
    }
  }

  /** The id of an instance added through the API for that fake Pi-hole. */
  private static long added(String name, FakePihole pihole) throws Exception {
    HttpResponse<String> added = app.send("POST", "/api/v1/instances",
        "{\"name\":\"" + name + "\",\"url\":\"" + pihole.url() + "\",\"password\":\"labpass\"}");
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    return new ObjectMapper().readTree(added.body()).get("id").asLong();
  }

  /**
   * The words' places in reading order, for a line that may wrap in its narrow cell: the visual line each is drawn on (its top,
   * in whole px), then how far from the left, as one number that grows left to right and top to bottom.
   */
  private static java.util.List<Double> readingOrder(ChromeDriver browser, WebElement line, String... texts) {
    java.util.List<Double> tops = edges(browser, line, "top", texts);
    java.util.List<Double> lefts = edges(browser, line, "left", texts);
    java.util.List<Double> order = new java.util.ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      order.add(Math.floor(tops.get(i)) * 100_000 + lefts.get(i));
    }
    return order;
  }

  private static java.util.List<Double> leftEdges(ChromeDriver browser, WebElement line, String... texts) {
    return edges(browser, line, "left", texts);
  }

  /** Where each word's first character is drawn, in px from the {@code side} (left, top) of the page: the words of {@code texts}, found in the line's text. */
  private static java.util.List<Double> edges(ChromeDriver browser, WebElement line, String side, String... texts) {
    java.util.List<Double> edges = new java.util.ArrayList<>();
    for (String text : texts) {
      Object x = browser.executeScript("""
          const walker = document.createTreeWalker(arguments[0], NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(arguments[1]);
            if (at >= 0) {
              const range = document.createRange();
              range.setStart(node, at);
              range.setEnd(node, at + 1);
              return range.getBoundingClientRect()[arguments[2]];
            }
          }
          return null;""", line, text, side);
      assertThat(x).as("'" + text + "' in " + line.getText()).isNotNull();
      edges.add(((Number) x).doubleValue());
    }
    return edges;
  }
}
