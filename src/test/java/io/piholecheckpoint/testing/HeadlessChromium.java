package io.piholecheckpoint.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Headless Chromium through Debian's chromium and chromium-driver (or the paths the build names), off the network. */
public final class HeadlessChromium extends ChromeDriver {
  private static final String MARK = "window.__checkpointLeft = true";
  private static final String ARRIVED = "return !window.__checkpointLeft && document.readyState === 'complete'";

  private static HeadlessChromium shared;
  /** The origins this browser was sent to since it was last handed over: what {@link #shared()} clears. */
  private final Set<String> visited = new HashSet<>();

  private HeadlessChromium(ChromeDriverService service, ChromeOptions options) {
    super(service, options);
  }

  /**
   * This test JVM's one Chromium, started at its first use and quit as the JVM ends, handed over each time as a new
   * one would be: in a new window (the others closed, with whatever a test left in them), without the cookies, storage
   * and cache of every origin it was sent to. A browser per test class was ~22 starts of ~11 processes each in a CI run
   * (bench/RESULTS.md); no test needs a profile of its own. Not quit by its users.
   */
  public static synchronized ChromeDriver shared() {
    if (shared != null) {
      try {
        shared.handOver();
        return shared;
      } catch (WebDriverException e) { // ended, or held by a dialog a failed test left open: a new one
        shared.quitQuietly();
      }
    }
    Path profile = temporaryProfile();
    HeadlessChromium started = start(profile);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      started.quitQuietly();
      deleteTree(profile);
    }, "quit-shared-chromium"));
    shared = started;
    return started;
  }

  /** A new Chromium with its profile in {@code profile}. */
  private static HeadlessChromium start(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(System.getProperty("checkpoint.chromium", "/usr/bin/chromium"));
    // the background-networking flags keep Chromium off the network, which this machine has not
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=1280,1024", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(System.getProperty("checkpoint.chromedriver", "/usr/bin/chromedriver")))
        .usingAnyFreePort().build();
    return new HeadlessChromium(service, options);
  }

  /**
   * Returns once the new document has loaded, with its deferred scripts run. Chromium sometimes
   * answers get() while the previous document (about:blank or the last page) is still the current
   * one, which failed tests that read the page or called app.js right after.
   */
  @Override
  public void get(String url) {
    if (url.startsWith("http://") || url.startsWith("https://")) { // not about:blank, data: and the like
      URI uri = URI.create(url);
      visited.add(uri.getScheme() + "://" + uri.getRawAuthority());
    }
    boolean marked = mark();
    super.get(url);
    if (!marked) {
      return; // scripts are off: nothing can be waited on, and Chromium then does wait for the load
    }
    try {
      new WebDriverWait(this, Duration.ofSeconds(20)).until(d -> (Boolean) executeScript(ARRIVED));
    } catch (TimeoutException e) {
      throw new TimeoutException("Chromium did not show a new document for " + url + " within 20 s (a download?)", e);
    }
  }

  private void handOver() {
    Set<String> windows = getWindowHandles();
    String fresh = switchTo().newWindow(WindowType.TAB).getWindowHandle();
    for (String window : windows) {
      switchTo().window(window).close();
    }
    switchTo().window(fresh);
    executeCdpCommand("Network.clearBrowserCookies", Map.of());
    executeCdpCommand("Network.clearBrowserCache", Map.of());
    for (String origin : visited) {
      executeCdpCommand("Storage.clearDataForOrigin", Map.of("origin", origin, "storageTypes", "all"));
    }
    visited.clear();
    manage().window().setSize(new Dimension(1280, 1024));
  }

  private void quitQuietly() {
    try {
      quit();
    } catch (WebDriverException e) {
      // already gone
    }
  }

  private static Path temporaryProfile() {
    try {
      return Files.createTempDirectory("chromium-profile-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Best effort: a file Chromium still writes as it ends may stay in the temporary directory. */
  static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      // left for the system's cleaning of temporary files
    }
  }

  private boolean mark() {
    try {
      executeScript(MARK);
      return true;
    } catch (WebDriverException e) {
      return false;
    }
  }
}
