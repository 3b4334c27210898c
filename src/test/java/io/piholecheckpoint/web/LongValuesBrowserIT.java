package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.HeadlessChromium;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.LargeArchives;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The outsider's shape of issue 13: 150 adlists with 1,500-character addresses and 3,000-character
 * comments (and domains, a group and a client with long values too) made a 764 kB contents page and
 * diffs of 935 kB, 16,707 px wide. Long values are cut, the page says so and links them whole, it
 * stays under 300 kB, and every column is displayed within the viewport.
 */
class LongValuesBrowserIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ADLISTS = 150;
  private static final String LONG = "substr(replace(hex(zeroblob(2000)), '00', 'abcdefghij'), 1, %d)";

  @TempDir
  static Path dir;

  private static FakePihole pihole;
  private static InProcessApp app;
  private static long base;
  private static long longValues;
  private static long edited;

  @BeforeAll
  static void importBackupsWithLongValues() throws Exception {
    Path fixture = Files.write(dir.resolve("base.zip"), Fixtures.archiveA());
    Path long1 = LargeArchives.edited(dir, "long", fixture,
        "INSERT INTO adlist(address, enabled, date_added, date_modified, type, comment) "
            + "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + ADLISTS + ") "
            + "SELECT 'https://lists.example/' || i || '/' || " + longText(1500) + ", 1, 0, 0, 0, 'comment ' || i || ' ' || " + longText(3000) + " FROM n",
        "INSERT INTO domainlist(type, domain, enabled, date_added, date_modified, comment) "
            + "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 120) "
            + "SELECT 3, '^' || i || " + longText(600) + " || '$', 1, 0, 0, " + longText(3000) + " FROM n",
        "INSERT INTO \"group\"(name, enabled, description) VALUES ('g' || " + longText(700) + ", 1, " + longText(2000) + ")",
        "INSERT INTO client(ip, comment) VALUES ('10.9.9.9', " + longText(2500) + ")");
    // every long adlist's comment and state changed, 10 removed, 20 more added: changed items show their fields
    Path long2 = LargeArchives.edited(dir, "edited", long1,
        "UPDATE adlist SET comment = 'now ' || comment, enabled = 0 WHERE address LIKE 'https://lists.example/%'",
        "DELETE FROM adlist WHERE address LIKE 'https://lists.example/1_/%'",
        "INSERT INTO adlist(address, enabled, date_added, date_modified, type, comment) "
            + "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20) "
            + "SELECT 'https://more.example/' || i || '/' || " + longText(1500) + ", 1, 0, 0, 0, " + longText(3000) + " FROM n");
    pihole = FakePihole.start("labpass");
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass"));
    base = imported(fixture);
    longValues = imported(long1);
    edited = imported(long2);
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

  private static String longText(int length) {
    return String.format(java.util.Locale.ROOT, LONG, length);
  }

  private static long imported(Path archive) throws Exception {
    HttpResponse<String> response = app.upload("/api/v1/instances/1/backups/import", "file", archive.getFileName().toString(), Files.readAllBytes(archive));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return JSON.readTree(response.body()).get("id").asLong();
  }

  @Test
  void theContentsPageCutsLongValuesSaysSoAndStaysUnderThreeHundredKilobytes() throws Exception {
    HttpResponse<String> page = app.get("/backups/" + longValues);

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body().getBytes(StandardCharsets.UTF_8).length).isLessThan(300_000);
    assertThat(page.body()).contains("(cut: 1,5", "(cut: 3,0", "values are longer than 100 characters and cut here");
    assertThat(count(page.body(), "data-cut-note")).as("groups, adlists, domains and clients each say it").isEqualTo(4);
    // the note's link has the values whole
    Matcher json = Pattern.compile("data-cut-note>[^<]*<a href=\"([^\"]*category=adlists[^\"]*)\"").matcher(page.body());
    assertThat(json.find()).isTrue();
    JsonNode adlists = JSON.readTree(app.get(json.group(1).replace("&amp;", "&")).body());
    List<Integer> lengths = new java.util.ArrayList<>();
    adlists.get("items").forEach(a -> lengths.add(a.get("address").asText().length()));
    assertThat(lengths).anySatisfy(length -> assertThat(length).isGreaterThan(1500));
  }

  @Test
  void diffPagesStayUnderThreeHundredKilobytesWhateverTheDirection() throws Exception {
    for (String path : List.of("/backups/" + longValues + "?diff=" + base, "/backups/" + base + "?diff=" + longValues,
        "/backups/" + edited + "?diff=" + longValues, "/backups/" + edited + "?diff=" + longValues + "&category=adlists&change=changed")) {
      HttpResponse<String> page = app.get(path);

      assertThat(page.statusCode()).as(path).isEqualTo(200);
      assertThat(page.body().getBytes(StandardCharsets.UTF_8).length).as(path).isLessThan(300_000);
      assertThat(page.body()).as(path).contains("data-cut-note");
    }
  }

  @Test
  void changedItemsSayWhichFieldsChangedFromWhatToWhatCutOnThePageWholeInTheApi() throws Exception {
    String page = app.get("/backups/" + edited + "?diff=" + longValues).body();

    assertThat(page).contains("Adlists: 20 added, 10 removed, 140 changed");
    Matcher changed = Pattern.compile("<li class=\"changed\">~ <bdi>https://lists\\.example/1/abcdefghij[^<]*</bdi><span class=\"cut\" data-cut>[^<]*</span>"
        + "<span class=\"fields\" data-changed-fields> &mdash; (.*?)</span></li>").matcher(page);
    assertThat(changed.find()).as("the changed adlist 1 with its fields").isTrue();
    assertThat(changed.group(1).replaceAll("</?bdi>", "")).startsWith("enabled: yes &rarr; no; comment: comment 1 abcdefghij").contains("&rarr; now comment 1 abcdefghij")
        .contains("(cut: 3,010 characters)", "(cut: 3,014 characters)");

    JsonNode adlists = JSON.readTree(app.get("/api/v1/backups/" + edited + "/diff?against=" + longValues).body()).get("categories").get("adlists");
    JsonNode fields = adlists.get("fields").get(adlists.get("changed").get(0).asText());
    assertThat(fields.get(0).get("field").asText()).isEqualTo("enabled");
    assertThat(fields.get(1).get("field").asText()).isEqualTo("comment");
    assertThat(fields.get(1).get("after").asText()).isEqualTo("now " + fields.get(1).get("before").asText()).hasSizeGreaterThan(3000);
  }

  @Test
  void everyColumnOfTheContentsIsDisplayedWithinTheViewport() throws Exception {
    ChromeDriver browser = HeadlessChromium.shared();
    for (String path : List.of("/backups/" + longValues, "/backups/" + edited + "?diff=" + longValues)) {
      browser.get(app.url(path));
      long viewport = (Long) browser.executeScript("return document.documentElement.clientWidth");
      long pageWidth = (Long) browser.executeScript("return document.documentElement.scrollWidth");
      assertThat(pageWidth).as(path + ": the page's width").isLessThanOrEqualTo(viewport);
      List<WebElement> headers = browser.findElements(By.cssSelector("section.contents table th"));
      assertThat(headers).extracting(WebElement::getText).containsSubsequence("Address", "Type", "Enabled", "Groups", "Comment");
      for (WebElement header : headers) {
        assertThat(header.isDisplayed()).as(header.getText()).isTrue();
        assertThat(header.getRect().getX() + header.getRect().getWidth()).as(path + ": right edge of " + header.getText()).isLessThanOrEqualTo((int) viewport);
      }
      WebElement cut = browser.findElement(By.cssSelector("section.contents [data-cut]"));
      assertThat(cut.isDisplayed()).isTrue();
      assertThat(cut.getText()).startsWith("\u2026 (cut: ");
    }
  }

  private static int count(String text, String part) {
    return text.split(Pattern.quote(part), -1).length - 1;
  }
}
