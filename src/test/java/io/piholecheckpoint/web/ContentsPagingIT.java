package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.LargeArchives;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The paging links of a backup's contents lists and of a diff's lists, as a person follows them: no "First page" on the
 * first page, each link keeps what else the page shows (the open comparison, the category and change paged), and a cursor
 * that is not one of this backup's lists is a 400 that says to start again from the first page, with its address.
 */
class ContentsPagingIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern HREF = Pattern.compile("<a href=\"([^\"]*)\"[^>]*>([^<]*)</a>");

  @TempDir
  static Path dir;

  private static InProcessApp app;
  private static long base;
  private static long many;

  @BeforeAll
  static void importABackupAndOneWithTwoHundredFiftyMoreDomains() throws Exception {
    Path small = Files.write(dir.resolve("base.zip"), Fixtures.archiveA());
    Path large = LargeArchives.withDenyDomains(dir, "many", 250);
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of("PIHOLE_HOME_URL", "http://127.0.0.1:9"));
    base = imported(small);
    many = imported(large);
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  private static long imported(Path archive) throws Exception {
    HttpResponse<String> response = app.upload("/api/v1/instances/1/backups/import", "file", archive.getFileName().toString(), Files.readAllBytes(archive));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return JSON.readTree(response.body()).get("id").asLong();
  }

  @Test
  void aContentsListPagesWithoutLosingTheOpenComparisonAndOffersTheFirstPageOnlyAfterIt() throws Exception {
    String comparing = "/backups/" + many + "?diff=" + base;
    List<Link> first = links(app.get(comparing).body(), "data-pager=\"domains\"");

    assertThat(href(first, "First page")).isEmpty();
    String more = href(first, "and ").orElseThrow();
    assertThat(more).startsWith("/backups/" + many + "?list=domains&after=").contains("&diff=" + base).endsWith("#domains");

    String second = app.get(more).body();
    List<Link> secondLinks = links(second, "data-pager=\"domains\"");

    assertThat(second).as("the comparison stays open").contains("data-diff-counts=\"domains\"");
    assertThat(href(secondLinks, "First page")).hasValue(comparing + "#domains");
    assertThat(href(secondLinks, "Next 100")).hasValueSatisfying(next -> assertThat(next).contains("&diff=" + base));
  }

  @Test
  void aDiffListPagesInItsCategoryAndChangeKeepingTheContentsPageOpen() throws Exception {
    String contentsPage2 = href(links(app.get("/backups/" + many).body(), "data-pager=\"domains\""), "and ").orElseThrow()
        .replace("#domains", "");
    String contentsState = contentsPage2.substring(contentsPage2.indexOf('?') + 1);
    List<Link> first = links(app.get(contentsPage2 + "&diff=" + base + "&category=domains&change=added").body(), "data-diff-pager");

    assertThat(href(first, "First page")).isEmpty();
    String next = href(first, "Next 100").orElseThrow();
    assertThat(next).contains("diff=" + base, "&category=domains", "&change=added", "&cursor=", "&" + contentsState);

    List<Link> second = links(app.get(next).body(), "data-diff-pager");

    assertThat(href(second, "First page")).hasValue("/backups/" + many + "?diff=" + base + "&" + contentsState
        + "&category=domains&change=added#diff-list");
  }

  @Test
  void aCursorThatIsNotOneOfThisBackupsListsSaysToStartAgainFromTheFirstPage() throws Exception {
    String next = href(links(app.get("/backups/" + many).body(), "data-pager=\"domains\""), "and ").orElseThrow();
    String cursor = next.replaceFirst(".*after=([^&#]*).*", "$1");
    String edited = (cursor.charAt(0) == 'A' ? "B" : "A") + cursor.substring(1);

    HttpResponse<String> editedCursor = app.get("/backups/" + many + "?list=domains&after=" + edited);
    HttpResponse<String> anotherList = app.get("/backups/" + many + "?list=adlists&after=" + cursor);
    HttpResponse<String> api = app.get("/api/v1/backups/" + many + "/contents?category=domains&cursor=" + URLEncoder.encode(edited, StandardCharsets.UTF_8));

    for (HttpResponse<String> page : List.of(editedCursor, anotherList)) {
      assertThat(page.statusCode()).isEqualTo(400);
      assertThat(page.body()).contains("<section class=\"error-page\">", "out of date", "/backups/" + many).doesNotContain("send it with the");
    }
    assertThat(api.statusCode()).isEqualTo(400);
    assertThat(api.body()).contains("send it with the backup, category");
  }

  private record Link(String text, String href) {
  }

  /** The links of the pager marked {@code marker}, their addresses as a browser reads them. */
  private static List<Link> links(String page, String marker) {
    Matcher pager = Pattern.compile("<p class=\"pager\" " + Pattern.quote(marker) + ">(.*?)</p>").matcher(page);
    assertThat(pager.find()).as("a pager " + marker).isTrue();
    List<Link> links = new ArrayList<>();
    Matcher m = HREF.matcher(pager.group(1));
    while (m.find()) {
      links.add(new Link(m.group(2).replace("&rarr;", "").trim(), m.group(1).replace("&amp;", "&")));
    }
    return links;
  }

  private static Optional<String> href(List<Link> links, String textStart) {
    return links.stream().filter(l -> l.text().startsWith(textStart)).map(Link::href).findFirst();
  }
}
