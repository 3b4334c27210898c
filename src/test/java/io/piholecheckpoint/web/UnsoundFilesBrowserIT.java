package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.HeadlessChromium;
import io.piholecheckpoint.testing.InProcessApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A file in BACKUP_DIR named as a backup of ours that is no sound archive (cut short, not a zip) is left alone, and was named
 * only in /health's storage.unsoundFiles: the dashboard names it too, with what to do, until it is gone.
 */
class UnsoundFilesBrowserIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private static void backUpTheOnlyInstance(InProcessApp app) throws Exception {
    long id = JSON.readTree(app.get("/api/v1/instances").body()).get("instances").get(0).get("id").asLong();
    assertThat(app.post("/api/v1/instances/" + id + "/backups?wait=true").statusCode()).isEqualTo(201);
  }

  @Test
  void theDashboardNamesAnUnsoundFileWithWhatToDo() throws Exception {
    ChromeDriver browser = HeadlessChromium.shared();
    try (FakePihole home = FakePihole.start("labpass")) {
      Map<String, String> env = Map.of("PIHOLE_HOME_URL", home.url(), "PIHOLE_HOME_PASSWORD", "labpass");
      Path kept;
      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
        backUpTheOnlyInstance(app);
        kept = archives().get(0);
        browser.get(app.url("/"));
        assertThat(browser.findElements(By.cssSelector("[data-unsound-files]"))).as("nothing to warn of yet").isEmpty();
      }
      // beside the good one, under a name of its kind: cut short, as a copy by hand that broke off would be
      String name = kept.getFileName().toString().replaceFirst("_[a-z0-9]{6}\\.zip$", "_broken.zip");
      byte[] archive = Files.readAllBytes(kept);
      Files.write(kept.resolveSibling(name), java.util.Arrays.copyOf(archive, archive.length / 2));

      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
        assertThat(JSON.readTree(app.get("/health").body()).at("/storage/unsoundFiles").toString()).as("the start looked").contains(name);

        browser.get(app.url("/"));

        WebElement warning = browser.findElement(By.cssSelector("[data-unsound-files]"));
        assertThat(warning.getAttribute("role")).isEqualTo("alert");
        assertThat(warning.findElements(By.cssSelector("[data-unsound-file]"))).extracting(WebElement::getText).containsExactly(name);
        assertThat(warning.getText()).contains("1 file in the backup directory is named as a backup but is no sound archive")
            .contains("Delete each one, or put a sound copy of the same archive in its place");
      }
    }
  }

  /**
   * Outsider round 40: 2,003 such files made the dashboard 51,692 px tall, the instances below them all, and /health (no
   * sign-in) 67 KB of names: both say how many and name the first ten.
   */
  @Test
  void manyUnsoundFilesAreCountedAndTheFirstTenNamed() throws Exception {
    ChromeDriver browser = HeadlessChromium.shared();
    try (FakePihole home = FakePihole.start("labpass")) {
      Map<String, String> env = Map.of("PIHOLE_HOME_URL", home.url(), "PIHOLE_HOME_PASSWORD", "labpass");
      Path folder;
      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
        backUpTheOnlyInstance(app);
        folder = archives().get(0).getParent();
      }
      String kept = archives().get(0).getFileName().toString();
      List<String> junk = new java.util.ArrayList<>();
      for (int i = 0; i < 25; i++) {
        junk.add(kept.replaceFirst("_[a-z0-9]{6}\\.zip$", "_junk%02d.zip".formatted(i)));
        Files.writeString(folder.resolve(junk.get(i)), "not a zip");
      }

      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
        com.fasterxml.jackson.databind.JsonNode storage = JSON.readTree(app.get("/health").body()).get("storage");
        browser.get(app.url("/"));

        assertThat(storage.get("unsoundFileCount").asInt()).isEqualTo(25);
        assertThat(storage.get("unsoundFiles")).extracting(com.fasterxml.jackson.databind.JsonNode::asText)
            .containsExactlyElementsOf(junk.subList(0, 10));
        WebElement warning = browser.findElement(By.cssSelector("[data-unsound-files]"));
        assertThat(warning.findElements(By.cssSelector("[data-unsound-file]"))).extracting(WebElement::getText)
            .containsExactlyElementsOf(junk.subList(0, 10));
        assertThat(warning.findElement(By.cssSelector("[data-unsound-more]")).getText()).isEqualTo("and 15 more, not named here");
        assertThat(warning.getText()).contains("25 files in the backup directory are named as a backup but are no sound archive");
        assertThat(browser.findElement(By.cssSelector("[data-instance]")).getLocation().getY()).as("the instance not pushed far down")
            .isLessThan(2000);
      }
    }
  }

  /** The kept archives under BACKUP_DIR, wherever the instance's folder puts them. */
  private List<Path> archives() throws Exception {
    try (Stream<Path> files = Files.walk(dir.resolve("backups"))) {
      return files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().endsWith(".zip")).toList();
    }
  }
}
