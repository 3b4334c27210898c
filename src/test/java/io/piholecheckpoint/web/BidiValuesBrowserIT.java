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

  /** Where each word's first character is drawn, in px from the left: the words of {@code texts}, found in the line's text. */
  private static java.util.List<Double> leftEdges(ChromeDriver browser, WebElement line, String... texts) {
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
              return range.getBoundingClientRect().left;
            }
          }
          return null;""", line, text);
      assertThat(x).as("'" + text + "' in " + line.getText()).isNotNull();
      edges.add(((Number) x).doubleValue());
    }
    return edges;
  }
}
