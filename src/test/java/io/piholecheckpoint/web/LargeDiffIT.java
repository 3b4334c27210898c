package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.core.contents.NaturalOrder;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.HeadlessChromium;
import io.piholecheckpoint.testing.LargeArchives;
import io.piholecheckpoint.testing.InProcessApp;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A diff that adds 20,000 domains and 250 adlists, between two imported backups: the page shows
 * counts and the first 100 items per change in a bounded page, "and N more" leads to paged lists
 * (HTML without JS, and the API with limit and cursor) that hold every item once, in natural order.
 */
class LargeDiffIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DOMAINS = 20_000;
  private static final int ADLISTS = 250;
  private static final Pattern MORE = Pattern.compile("href=\"([^\"]*category=domains&amp;change=added[^\"]*)\"");

  @TempDir
  static Path dir;

  private static FakePihole pihole;
  private static InProcessApp app;
  private static long before;
  private static long after;

  @BeforeAll
  static void importABackupAndOneWithTwentyThousandMoreDomains() throws Exception {
    Path base = Files.write(dir.resolve("base.zip"), Fixtures.archiveA());
    Path domains = LargeArchives.withDenyDomains(dir, "domains", DOMAINS);
    Path large = LargeArchives.edited(dir, "large", domains, "INSERT INTO adlist(address, enabled, date_added, date_modified, type) "
        + "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + ADLISTS + ") "
        + "SELECT 'https://lists.example/Block-' || i || '.txt', 1, 0, 0, 0 FROM n");
    pihole = FakePihole.start("labpass");
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass"));
    before = imported(base);
    after = imported(large);
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
    return JSON.readTree(response.body()).get("id").asLong();
  }

  @Test
  void theDiffPageShowsCountsAndTheFirstHundredInUnderThreeHundredKilobytes() throws Exception {
    HttpResponse<String> page = app.get("/backups/" + after + "?diff=" + before);

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body().getBytes(StandardCharsets.UTF_8).length).isLessThan(300_000);
    assertThat(page.body()).contains("Domains: 20,000 added, 0 removed, 0 changed", "Adlists: 250 added, 0 removed, 0 changed",
        "and 19,900 more added", "and 150 more added");
    assertThat(count(page.body(), "<li class=\"added\">+ <bdi>deny exact ")).isEqualTo(100);
    // natural order: Block-2 comes right after Block-1, long before Block-10
    assertThat(page.body().indexOf("Block-2.txt<")).isLessThan(page.body().indexOf("Block-10.txt<"));
  }

  /**
   * Every one of the 20,000 domains changed (disabled, a 501-character comment): the first hundred say which fields changed,
   * from what to what, each value cut as the page cuts long values, and the page stays under 300 kB; so do the pages behind
   * "and 19,900 more changed", and the API's pages after the first (they listed the items without their fields).
   */
  @Test
  void twentyThousandChangedDomainsShowTheirFieldsOnEveryPageInUnderThreeHundredKilobytes() throws Exception {
    Path changed = LargeArchives.edited(dir, "changed", dir.resolve("large.zip"),
        "UPDATE domainlist SET enabled = 0, comment = 'c' || hex(zeroblob(250)) WHERE id > 100");
    long id = imported(changed);

    long started = System.nanoTime();
    HttpResponse<String> page = app.get("/backups/" + id + "?diff=" + after);
    long millis = (System.nanoTime() - started) / 1_000_000;

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("Domains: 0 added, 0 removed, 20,000 changed", "and 19,900 more changed");
    assertThat(changedFields(page.body())).isEqualTo(100);
    assertThat(page.body()).contains("(cut: 501 characters)");
    assertThat(page.body().getBytes(StandardCharsets.UTF_8).length).as(millis + " ms").isLessThan(300_000);

    Matcher more = Pattern.compile("href=\"([^\"]*category=domains&amp;change=changed[^\"]*)\"").matcher(page.body());
    assertThat(more.find()).isTrue();
    String second = app.get(more.group(1).replace("&amp;", "&")).body();
    assertThat(second).contains("Domains changed: 20,000");
    assertThat(changedFields(second)).as("the second page's items with their fields").isEqualTo(100);
    assertThat(changedFields(app.get(next(second)).body())).as("the third page's").isEqualTo(100);
    assertThat(second.getBytes(StandardCharsets.UTF_8).length).isLessThan(300_000);

    String api = "/api/v1/backups/" + id + "/diff?against=" + after + "&category=domains&change=changed&limit=50";
    String cursor = json(app.get(api)).get("next").asText();
    JsonNode further = json(app.get(api + "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
    assertThat(further.get("items")).hasSize(50);
    for (JsonNode item : further.get("items")) {
      JsonNode fields = further.get("fields").get(item.asText());
      assertThat(fields).as(item.asText()).isNotNull();
      assertThat(fields.get(0).get("field").asText()).isEqualTo("enabled");
      assertThat(fields.get(1).get("after").asText()).hasSize(501);
    }
  }

  private static int changedFields(String html) {
    return count(html.replaceAll("</?bdi>", ""), "<span class=\"fields\" data-changed-fields> &mdash; enabled: yes &rarr; no; comment: (none) &rarr; c00");
  }

  @Test
  void pagingThroughEveryCategoryAndChangeReturnsEachItemOnceInNaturalOrder() throws Exception {
    JsonNode diff = json(app.get("/api/v1/backups/" + after + "/diff?against=" + before));
    int lists = 0;
    for (var category : (Iterable<Map.Entry<String, JsonNode>>) diff.get("categories")::fields) {
      for (String change : List.of("added", "removed", "changed")) {
        long total = category.getValue().get(change + "Total").asLong();
        List<String> items = pageThrough(category.getKey(), change);
        assertThat(items).as(category.getKey() + " " + change).hasSize((int) total).doesNotHaveDuplicates();
        assertThat(items).isSortedAccordingTo(NaturalOrder.TEXT);
        List<String> first = new ArrayList<>();
        category.getValue().get(change).forEach(i -> first.add(i.asText()));
        assertThat(items.subList(0, first.size())).isEqualTo(first);
        lists += total > 0 ? 1 : 0;
      }
    }
    assertThat(lists).as("lists with changes").isEqualTo(2);
  }

  /**
   * Both directions of a pair, and a pair with a backup between them (never compared at its import): the reverse lists as
   * removed, in the same order, what the forward diff lists as added (read from the comparison kept for the forward one), a
   * changed item's fields with their sides swapped; the pair apart lists what the adjacent pair did.
   */
  @Test
  void theReverseOfAPairAndAPairApartPageEveryItemOnceAsTheForwardDiffDoes() throws Exception {
    Path drifted = LargeArchives.edited(dir, "drifted", dir.resolve("large.zip"), "UPDATE domainlist SET comment = 'later' WHERE id > 100 AND id % 10 = 0");
    long later = imported(drifted);
    List<String> added = pageThrough(after, before, "domains", "added");

    assertThat(added).hasSize(DOMAINS).isSortedAccordingTo(NaturalOrder.TEXT);
    assertThat(pageThrough(before, after, "domains", "removed")).isEqualTo(added);
    assertThat(pageThrough(before, after, "domains", "added")).isEmpty();
    assertThat(pageThrough(later, before, "domains", "added")).as("the pair apart").isEqualTo(added);
    assertThat(pageThrough(before, later, "domains", "removed")).as("its reverse").isEqualTo(added);
    JsonNode reverse = json(app.get("/api/v1/backups/" + before + "/diff?against=" + later)).get("categories");
    assertThat(reverse.get("domains").get("removedTotal").asLong()).isEqualTo(DOMAINS);
    assertThat(reverse.get("adlists").get("removedTotal").asLong()).isEqualTo(ADLISTS);
    assertThat(reverse.get("adlists").get("addedTotal").asLong()).isZero();

    List<String> changed = pageThrough(later, after, "domains", "changed");
    assertThat(changed).hasSize(DOMAINS / 10).isEqualTo(pageThrough(after, later, "domains", "changed"));
    JsonNode forward = json(app.get(diffPath(later, after, "domains", "changed", 5)));
    JsonNode backward = json(app.get(diffPath(after, later, "domains", "changed", 5)));
    String item = forward.get("items").get(0).asText();
    assertThat(backward.get("items").get(0).asText()).isEqualTo(item);
    assertThat(forward.get("fields").get(item).get(0).get("before").asText()).isEqualTo("(none)");
    assertThat(forward.get("fields").get(item).get(0).get("after").asText()).isEqualTo("later");
    assertThat(backward.get("fields").get(item).get(0).get("before").asText()).isEqualTo("later");
    assertThat(backward.get("fields").get(item).get(0).get("after").asText()).isEqualTo("(none)");
  }

  private List<String> pageThrough(String category, String change) throws Exception {
    return pageThrough(after, before, category, change);
  }

  /** Every item of one change of one list of the diff from {@code against} to {@code id}, a thousand a page. */
  private List<String> pageThrough(long id, long against, String category, String change) throws Exception {
    List<String> items = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page = json(app.get(diffPath(id, against, category, change, 1000) + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8))));
      assertThat(page.get("items").size()).isLessThanOrEqualTo(1000);
      page.get("items").forEach(i -> items.add(i.asText()));
      cursor = page.get("next").isNull() ? null : page.get("next").asText();
    } while (cursor != null);
    return items;
  }

  @Test
  void andMoreLeadsToPagedListsWithoutJavaScript() throws Exception {
    String summary = app.get("/backups/" + after + "?diff=" + before).body();
    Matcher more = MORE.matcher(summary);
    assertThat(more.find()).isTrue();

    String second = app.get(more.group(1).replace("&amp;", "&")).body();
    String third = app.get(next(second)).body();

    List<String> shown = items(summary);
    List<String> page2 = items(second);
    List<String> page3 = items(third);
    assertThat(page2).hasSize(100);
    assertThat(page3).hasSize(100).doesNotContainAnyElementsOf(page2);
    assertThat(NaturalOrder.TEXT.compare(shown.get(99), page2.get(0))).isNegative();
    assertThat(NaturalOrder.TEXT.compare(page2.get(99), page3.get(0))).isNegative();
    assertThat(second).contains("Domains added: 20,000", "First page", "All changes");
    assertThat(third.getBytes(StandardCharsets.UTF_8).length).isLessThan(300_000);
  }

  @Test
  void theContentsPageOfTheLargeBackupShowsTheFirstHundredAndMoreInNaturalOrder() throws Exception {
    String contents = app.get("/backups/" + after).body();
    Matcher more = Pattern.compile("href=\"([^\"]*list=domains&amp;after=[^\"]*)\">and ([\\d,]+) more").matcher(contents);

    assertThat(contents.getBytes(StandardCharsets.UTF_8).length).isLessThan(300_000);
    assertThat(contents).contains(String.format(java.util.Locale.ROOT, "Domains (%,d)", DOMAINS + LargeArchives.FIXTURE_DOMAINS));
    assertThat(more.find()).isTrue();
    assertThat(Integer.parseInt(more.group(2).replace(",", ""))).isEqualTo(DOMAINS + LargeArchives.FIXTURE_DOMAINS - 100);
    assertThat(contents.indexOf("Block-9.txt<")).isLessThan(contents.indexOf("Block-10.txt<"));
    assertThat(app.get(more.group(1).replace("&amp;", "&")).body()).contains("Next 100");
  }

  @Test
  void badLimitsCursorsAndCategoriesAreRefusedWithAClearMessage() throws Exception {
    String cursor = json(app.get(diffPath("domains", "added", 10))).get("next").asText();
    byte[] raw = Base64.getUrlDecoder().decode(cursor);
    raw[raw.length - 1] ^= 1;
    String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);

    assertRefused(diffPath("domains", "added", 0), "limit");
    assertRefused(diffPath("domains", "added", 1001), "limit");
    assertRefused(diffPath("domains", "added", 10).replace("limit=10", "limit=ten"), "limit");
    assertRefused(diffPath("everything", "added", 10), "category must be one of");
    assertRefused(diffPath("domains", "renamed", 10), "change");
    assertRefused(diffPath("domains", "added", 10) + "&cursor=not-a-cursor", "start again without it");
    assertRefused(diffPath("domains", "added", 10) + "&cursor=" + tampered, "start again without it");
    assertRefused(diffPath("domains", "removed", 10) + "&cursor=" + cursor, "start again without it");
    assertRefused(diffPath("adlists", "added", 10) + "&cursor=" + cursor, "start again without it");
    assertRefused("/api/v1/backups/" + after + "/contents?category=domains&cursor=" + cursor, "start again without it");
    assertThat(app.get("/backups/" + after + "?diff=" + before + "&category=domains&change=added&cursor=" + tampered).statusCode()).isEqualTo(400);
    assertThat(app.get("/backups/" + after + "?diff=" + before + "&category=bogus").statusCode()).isEqualTo(400);
  }

  @Test
  void aCursorBelongsToItsBackupAndCategory() throws Exception {
    String contentsCursor = json(app.get("/api/v1/backups/" + after + "/contents?category=domains&limit=10")).get("next").asText();
    String diffCursor = json(app.get(diffPath("domains", "added", 10))).get("next").asText();
    String reversed = "/api/v1/backups/" + before + "/diff?against=" + after + "&category=domains&change=added&limit=10";

    assertThat(app.get("/api/v1/backups/" + after + "/contents?category=domains&limit=10&cursor=" + contentsCursor).statusCode()).isEqualTo(200);
    assertRefused("/api/v1/backups/" + before + "/contents?category=domains&cursor=" + contentsCursor, "for this backup and list");
    assertRefused("/api/v1/backups/" + after + "/contents?category=adlists&cursor=" + contentsCursor, "for this backup and list");
    assertRefused(reversed + "&cursor=" + diffCursor, "for this backup and list");
    assertRefused("/api/v1/backups/" + after + "/contents?category=domains&cursor=" + diffCursor, "start again without it");
    assertThat(app.get("/backups/" + before + "?list=domains&after=" + contentsCursor).statusCode()).isEqualTo(400);
  }

  @Test
  void aCursorWithoutItsCategoryIsRefusedNotIgnored() throws Exception {
    String cursor = json(app.get("/api/v1/backups/" + after + "/contents?category=domains&limit=10")).get("next").asText();
    String diffCursor = json(app.get(diffPath("domains", "added", 10))).get("next").asText();

    assertRefused("/api/v1/backups/" + after + "/contents?cursor=" + cursor, "cursor pages one list: send it with the category");
    assertRefused("/api/v1/backups/" + after + "/contents?after=" + cursor, "after pages one list");
    assertRefused("/api/v1/backups/" + after + "/contents?limit=10", "limit pages one list");
    assertRefused("/api/v1/backups/" + after + "/diff?against=" + before + "&cursor=" + diffCursor, "cursor pages one list");
    assertRefused("/api/v1/backups/" + after + "/diff?against=" + before + "&change=removed", "change pages one list");
  }

  @Test
  void screenshotsOfTheLargeDiffAndAPagedList() throws Exception {
    Files.createDirectories(Path.of("target/screenshots"));
    ChromeDriver browser = HeadlessChromium.shared();
    browser.get(app.url("/backups/" + after + "?diff=" + before));
    WebElement more = browser.findElement(By.cssSelector("[data-diff-more='domains-added'] a"));
    assertThat(more.isDisplayed()).isTrue();
    assertThat(more.getText()).isEqualTo("and 19,900 more added \u2192");
    Files.write(Path.of("target/screenshots/diff-large.png"), browser.getScreenshotAs(OutputType.BYTES));

    more.click();
    List<WebElement> items = browser.findElements(By.cssSelector("[data-diff-items='domains-added'] li"));
    assertThat(items).hasSize(100);
    assertThat(browser.findElement(By.cssSelector("[data-diff-next]")).isDisplayed()).isTrue();
    Files.write(Path.of("target/screenshots/diff-paged-list.png"), browser.getScreenshotAs(OutputType.BYTES));
  }

  private void assertRefused(String path, String message) throws Exception {
    HttpResponse<String> response = app.get(path);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(400);
    assertThat(response.body()).contains(message);
  }

  private static String diffPath(String category, String change, int limit) {
    return diffPath(after, before, category, change, limit);
  }

  private static String diffPath(long id, long against, String category, String change, int limit) {
    return "/api/v1/backups/" + id + "/diff?against=" + against + "&category=" + category + "&change=" + change + "&limit=" + limit;
  }

  private static String next(String html) {
    Matcher next = Pattern.compile("href=\"([^\"]*)\" data-diff-next").matcher(html);
    assertThat(next.find()).isTrue();
    return next.group(1).replace("&amp;", "&");
  }

  private static List<String> items(String html) {
    Matcher item = Pattern.compile("<li class=\"added\">\\+ <bdi>(deny exact [^<]*)</bdi></li>").matcher(html);
    List<String> items = new ArrayList<>();
    while (item.find()) {
      items.add(item.group(1));
    }
    return items;
  }

  private static int count(String text, String part) {
    return text.split(Pattern.quote(part), -1).length - 1;
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
