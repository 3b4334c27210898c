package io.piholecheckpoint.testing;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Headless Chromium through Debian's chromium and chromium-driver (or the paths the build names), off the network. */
public final class HeadlessChromium extends ChromeDriver {
  private static final String MARK = "window.__checkpointLeft = true";
  private static final String ARRIVED = "return !window.__checkpointLeft && document.readyState === 'complete'";

  private HeadlessChromium(ChromeDriverService service, ChromeOptions options) {
    super(service, options);
  }

  /** A new Chromium with its profile in {@code profile}; the caller quits it. */
  public static ChromeDriver start(Path profile) {
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

  private boolean mark() {
    try {
      executeScript(MARK);
      return true;
    } catch (WebDriverException e) {
      return false;
    }
  }
}
