package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.BrowserFixture;
import io.piholecheckpoint.testing.InProcessApp;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Outsider (low): a name of 60 characters without a space, which the form takes, overflowed its card and the page on the
 * dashboard, the Pi-hole's page and its edit form. What Chromium lays out: nothing wider than the viewport.
 */
class LongNameBrowserIT {
  @RegisterExtension
  static final BrowserFixture fixture = BrowserFixture.create().pihole("home", "labpass");

  private final InProcessApp app = fixture.app();
  private final ChromeDriver browser = fixture.browser();

  @Test
  void aSixtyCharacterNameWithoutSpacesStaysWithinTheViewport() throws Exception {
    String name = "W".repeat(60);
    long id = new ObjectMapper().readTree(app.send("POST", "/api/v1/instances", new ObjectMapper().createObjectNode()
        .put("name", name).put("url", fixture.pihole("home").url()).put("password", "labpass").toString()).body()).get("id").asLong();
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(800, 900));

    for (String page : List.of("/", "/instances/" + id, "/instances/" + id + "/edit")) {
      browser.get(app.url(page));
      assertThat(browser.getPageSource()).as(page).contains(name);
      Number viewport = (Number) browser.executeScript("return document.documentElement.clientWidth");
      Number page0 = (Number) browser.executeScript("return document.documentElement.scrollWidth");
      Number widest = (Number) browser.executeScript("return Math.max(...[...document.querySelectorAll('h1, h2, section')]"
          + ".map(e => e.getBoundingClientRect().right))");
      assertThat(page0.doubleValue()).as(page + ": the page's width").isLessThanOrEqualTo(viewport.doubleValue());
      assertThat(widest.doubleValue()).as(page + ": the right edge of its headings and cards").isLessThanOrEqualTo(viewport.doubleValue());
      fixture.screenshot("long-name" + page.replace('/', '-'));
    }
  }
}
