package io.piholecheckpoint.testing;

import java.io.File;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Headless Chromium through Debian's chromium and chromium-driver (or the paths the build names), off the network. */
public final class HeadlessChromium {
  private HeadlessChromium() {
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
    return new ChromeDriver(service, options);
  }
}
