package io.piholecheckpoint.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WebDriverException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What a browser test needs, built once per class: fake Pi-holes, Pi-hole Checkpoint in process
 * ({@link InProcessApp}), and the JVM's one {@link HeadlessChromium#shared()} browser, handed over fresh.
 * Register it as a static field:
 * <pre>
 * &#64;RegisterExtension
 * static final BrowserFixture fixture = BrowserFixture.create().pihole("home", "labpass")
 *     .env(f -&gt; Map.of("PIHOLE_HOME_URL", f.pihole("home").url(), "PIHOLE_HOME_PASSWORD", "labpass"));
 * </pre>
 * Before each test it puts back what a test changes, so that tests do not depend on each other's
 * order: the browser's cookies and storage (sign-in, the theme), JavaScript on, the window size,
 * each fake Pi-hole's archive. After each test it deletes the instances the test created, with
 * their backups (instances from the environment, and what a class's own {@code @BeforeAll} made,
 * stay). With {@code APP_PASSWORD} set the API needs a sign-in the fixture does not have: such a
 * class gives each test its own instance names.
 */
public final class BrowserFixture implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  /**
   * {@code element} is no longer in the page, as after the navigation a press starts: Selenium's {@code stalenessOf}, also
   * when Chromium answers the check made mid-navigation with "Node with given id does not belong to the document", an
   * inspector error rather than a stale element (seen once in a CI run at load).
   */
  public static ExpectedCondition<Boolean> gone(WebElement element) {
    return driver -> {
      try {
        return ExpectedConditions.stalenessOf(element).apply(driver);
      } catch (WebDriverException e) {
        if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
          return true;
        }
        throw e;
      }
    };
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SCREENSHOTS = Path.of("target/screenshots");

  private final Map<String, String> passwords = new LinkedHashMap<>();
  private final Map<String, FakePihole> piholes = new LinkedHashMap<>();
  private final Map<String, byte[]> initialArchives = new LinkedHashMap<>();
  private Function<BrowserFixture, Map<String, String>> env = f -> Map.of();
  private Path dir;
  private InProcessApp app;
  private ChromeDriver browser;
  private Set<Long> instancesBefore = Set.of();

  private BrowserFixture() {
  }

  public static BrowserFixture create() {
    return new BrowserFixture();
  }

  /** A fake Pi-hole with this password, started before the app so that {@link #env} can name its URL. */
  public BrowserFixture pihole(String name, String password) {
    passwords.put(name, password);
    return this;
  }

  /** The app's settings, from the started fake Pi-holes. */
  public BrowserFixture env(Function<BrowserFixture, Map<String, String>> env) {
    this.env = env;
    return this;
  }

  public FakePihole pihole(String name) {
    FakePihole pihole = piholes.get(name);
    if (pihole == null) {
      throw new IllegalArgumentException("no fake Pi-hole " + name + " in " + piholes.keySet());
    }
    return pihole;
  }

  public InProcessApp app() {
    return app;
  }

  public ChromeDriver browser() {
    return browser;
  }

  /** The app's BACKUP_DIR: a test that damages or removes an archive on this disk does it there. */
  public Path backupDir() {
    return dir.resolve("backups");
  }

  public WebDriverWait waitUpTo(Duration timeout) {
    return new WebDriverWait(browser, timeout);
  }

  /** A screenshot of what the browser shows, as target/screenshots/NAME.png. */
  public void screenshot(String name) throws IOException {
    screenshot(browser, name);
  }

  /** A screenshot of {@code what} (the browser or one element), as target/screenshots/NAME.png. */
  public void screenshot(TakesScreenshot what, String name) throws IOException {
    Files.write(SCREENSHOTS.resolve(name + ".png"), what.getScreenshotAs(OutputType.BYTES));
  }

  /** Makes the window as tall as the page, so that a screenshot of an element shows all of it. */
  public void fitHeight() {
    long height = (Long) browser.executeScript("return document.documentElement.scrollHeight");
    browser.manage().window().setSize(new Dimension(1280, (int) Math.max(1024, height + 120)));
  }

  /** Switches JavaScript off for the pages loaded next in this test, to see them as such a browser does. */
  public void scriptsOff() {
    browser.executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", true));
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("browser-fixture-");
    Files.createDirectories(SCREENSHOTS);
    for (Map.Entry<String, String> p : passwords.entrySet()) { // what started is stopped in afterAll, even after a failure here
      FakePihole pihole = FakePihole.start(p.getValue());
      piholes.put(p.getKey(), pihole);
      initialArchives.put(p.getKey(), pihole.currentArchive());
    }
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env.apply(this));
    browser = HeadlessChromium.shared();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    browser.executeCdpCommand("Network.clearBrowserCookies", Map.of());
    browser.executeCdpCommand("Storage.clearDataForOrigin", Map.of("origin", app.url(""), "storageTypes", "all"));
    browser.executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", false));
    browser.manage().window().setSize(new Dimension(1280, 1024));
    browser.get("about:blank");
    initialArchives.forEach((name, archive) -> piholes.get(name).archive(archive));
    instancesBefore = instanceIds();
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    Set<Long> created = new HashSet<>(instanceIds());
    created.removeAll(instancesBefore);
    for (long id : created) {
      HttpResponse<String> deleted = app.send("DELETE", "/api/v1/instances/" + id + "?backups=delete", null);
      if (deleted.statusCode() != 204) {
        throw new AssertionError("could not delete instance " + id + " that the test created: " + deleted.statusCode() + " " + deleted.body());
      }
    }
  }

  /** The instances there are now, or none when the API is behind a sign-in. */
  private Set<Long> instanceIds() throws Exception {
    HttpResponse<String> answer = app.get("/api/v1/instances");
    if (answer.statusCode() == 401) {
      return Set.of();
    }
    Set<Long> ids = new HashSet<>();
    for (JsonNode i : JSON.readTree(answer.body()).get("instances")) {
      ids.add(i.get("id").asLong());
    }
    return ids;
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    List<Runnable> stops = new ArrayList<>(); // the browser is the JVM's, for the next class
    if (app != null) {
      stops.add(app::close);
    }
    piholes.values().forEach(p -> stops.add(p::close));
    RuntimeException failed = null;
    for (Runnable stop : stops) {
      try {
        stop.run();
      } catch (RuntimeException e) {
        if (failed == null) {
          failed = e;
        } else {
          failed.addSuppressed(e);
        }
      }
    }
    HeadlessChromium.deleteTree(dir);
    if (failed != null) {
      throw failed;
    }
  }
}
