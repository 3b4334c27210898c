package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.InProcessApp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heavy archive work through the running launcher with one permit: parallel requests take turns
 * instead of each costing its own SQLite memory and scratch, and a request that cannot get a turn
 * within the bound is answered 503 with Retry-After.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArchiveWorkIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;

  private FakePihole pihole;
  private InProcessApp app;
  private long backup;
  private final ExecutorService clients = Executors.newFixedThreadPool(8);

  @BeforeAll
  void start() throws Exception {
    pihole = FakePihole.start("labpass");
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass",
        "ARCHIVE_PARALLEL", "1", "ARCHIVE_BUSY_WAIT_SECONDS", "5"));
    backup = JSON.readTree(app.post("/api/v1/instances/1/backups?wait=true").body()).get("id").asLong();
  }

  @AfterAll
  void stop() {
    clients.shutdownNow();
    app.close();
    pihole.close();
  }

  @Test
  void parallelImportsAreServedOneAfterAnotherNotFailed() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> imports = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      imports.add(CompletableFuture.supplyAsync(() -> upload(), clients));
    }

    List<Long> ids = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> f : imports) {
      HttpResponse<String> response = f.get(2, TimeUnit.MINUTES);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
      ids.add(JSON.readTree(response.body()).get("id").asLong());
    }
    assertThat(ids).doesNotHaveDuplicates().hasSize(8);
  }

  @Test
  void aRequestThatWaitsPastTheBoundGets503WithRetryAfterAndTheHolderStillFinishes() throws Exception {
    FakePihole.Hold hold = pihole.holdExports();
    // the diff against live takes the one permit, then waits for the Pi-hole's export
    CompletableFuture<HttpResponse<String>> live = CompletableFuture.supplyAsync(() -> get("/api/v1/backups/" + backup + "/diff?against=live"), clients);
    try {
      assertThat(hold.awaitStarted()).isTrue();

      HttpResponse<String> contents = app.get("/api/v1/backups/" + backup + "/contents");
      assertThat(contents.statusCode()).as(contents.body()).isEqualTo(503);
      assertThat(contents.headers().firstValue("Retry-After")).hasValue("5");
      JsonNode error = JSON.readTree(contents.body()).get("error");
      assertThat(error.get("code").asText()).isEqualTo("archive_busy");
      assertThat(error.get("message").asText()).contains("Busy with another archive; try again in a moment");

      HttpResponse<String> page = app.get("/backups/" + backup);
      assertThat(page.statusCode()).isEqualTo(503);
      assertThat(page.headers().firstValue("Retry-After")).hasValue("5");
      assertThat(page.body()).contains("try again in a moment");
    } finally {
      hold.release();
    }
    HttpResponse<String> diff = live.get(2, TimeUnit.MINUTES);
    assertThat(diff.statusCode()).as(diff.body()).isEqualTo(200);
    assertThat(app.get("/api/v1/backups/" + backup + "/contents").statusCode()).as("the permit is free again").isEqualTo(200);
  }

  private HttpResponse<String> upload() {
    try {
      return app.upload("/api/v1/instances/1/backups/import", "file", "pi-hole_teleporter.zip", Fixtures.archiveA());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> get(String path) {
    try {
      return app.get(path);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
