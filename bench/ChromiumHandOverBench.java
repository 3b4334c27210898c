import io.piholecheckpoint.testing.HeadlessChromium;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * What a browser per test class cost against the JVM's one browser handed over (testing/HeadlessChromium.shared): N
 * "classes", each getting a browser, showing a page and (mode {@code quit}, as before r45-suiteit) quitting it. Run under
 * bench/cpu-by-process.py (bench/chromium-handover.sh): the CPU of the JVM, chromedriver and every Chromium process.
 * Usage: java -cp CP bench/ChromiumHandOverBench.java quit|shared N
 */
public class ChromiumHandOverBench {
  public static void main(String[] args) {
    boolean quit = args[0].equals("quit");
    int classes = Integer.parseInt(args[1]);
    for (int i = 0; i < classes; i++) {
      ChromeDriver browser = HeadlessChromium.shared(); // a quit one is found ended and replaced: a new browser per class
      browser.get("data:text/html,<title>class " + i + "</title><p>a page");
      if (!browser.getTitle().equals("class " + i)) {
        throw new IllegalStateException("the page did not show: " + browser.getTitle());
      }
      if (quit) {
        browser.quit();
      }
    }
    System.exit(0); // the shutdown hook quits the shared one
  }
}
