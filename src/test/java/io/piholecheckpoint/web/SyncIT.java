package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.InProcessApp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A primary and two replicas behind the running app: the sync API, and the sync after each backup of the primary. */
class SyncIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private FakePihole main;
  private FakePihole one;
  private FakePihole two;
  private InProcessApp app;

  @BeforeEach
  void start() throws Exception {
    main = FakePihole.builder().password("labpass").archive(Fixtures.archiveB()).restartDowntime(Duration.ofMillis(100)).start();
    one = FakePihole.builder().password("labpass").archive(Fixtures.archiveA()).restartDowntime(Duration.ofMillis(100)).start();
    two = FakePihole.builder().password("labpass").archive(Fixtures.archiveA()).restartDowntime(Duration.ofMillis(100)).start();
    Map<String, String> env = new HashMap<>();
    for (Map.Entry<String, FakePihole> e : Map.of("MAIN", main, "ONE", one, "TWO", two).entrySet()) {
      env.put("PIHOLE_" + e.getKey() + "_URL", e.getValue().url());
      env.put("PIHOLE_" + e.getKey() + "_PASSWORD", "labpass");
    }
    env.putAll(Map.of("SYNC_HOME_PRIMARY", "MAIN", "SYNC_HOME_REPLICAS", "ONE,TWO", "SYNC_HOME_SNAPSHOT", "never",
        "SYNC_BAD_PRIMARY", "MAIN", "SYNC_BAD_REPLICAS", "SPARE", "SYNC_BAD_MODE", "exact"));
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env);
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
    List.of(main, one, two).forEach(FakePihole::close);
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private long instance(String name) throws Exception {
    for (JsonNode i : json(app.get("/api/v1/instances")).get("instances")) {
      if (i.get("name").asText().equals(name)) {
        return i.get("id").asLong();
      }
    }
    throw new AssertionError("no instance " + name);
  }

  @Test
  void listsTheGroupsAndSaysWhyABadOneIsDisabled() throws Exception {
    JsonNode sync = json(app.get("/api/v1/sync"));

    assertThat(sync.at("/groups/0/id").asText()).isEqualTo("home");
    assertThat(sync.at("/groups/0/replicas")).extracting(JsonNode::asText).containsExactly("ONE", "TWO");
    assertThat(sync.at("/groups/0/mode").asText()).isEqualTo("lists-and-dns");
    assertThat(sync.at("/groups/0/when").asText()).isEqualTo("after-backup");
    assertThat(sync.at("/disabled/bad").asText()).as("keyed by the group's name in the API").contains("SYNC_BAD_MODE=exact is refused");
    HttpResponse<String> disabled = app.post("/api/v1/sync/bad/run?wait=true");
    assertThat(disabled.statusCode()).isEqualTo(404);
    assertThat(disabled.body()).contains("sync group 'bad' is disabled: SYNC_BAD_MODE=exact is refused");
  }

  @Test
  void aGroupIsNamedInLowerCaseOnEveryRouteAndAnyOtherSpellingIsA404NamingTheRightOne() throws Exception {
    for (String route : List.of("POST /api/v1/sync/HOME/run", "POST /api/v1/sync/Home/run?dryRun=true", "GET /api/v1/sync/HOME/runs",
        "POST /api/v1/sync/BAD/run")) {
      String[] r = route.split(" ");
      HttpResponse<String> response = r[0].equals("GET") ? app.get(r[1]) : app.post(r[1]);

      assertThat(response.statusCode()).as(route).isEqualTo(404);
      assertThat(response.body()).as(route).contains("groups are named by their prefix in lower case: '" + (route.contains("BAD") ? "bad" : "home") + "'");
    }
    assertThat(json(app.get("/api/v1/sync/home/runs")).get("runs")).as("nothing ran").isEmpty();
    assertThat(one.restarts() + two.restarts()).isZero();
  }

  @Test
  void aFlagThatIsNeitherTrueNorFalseIsA400AlsoBesideADryRun() throws Exception {
    for (String query : List.of("dryRun=true&wait=maybe", "wait=maybe&dryRun=true", "dryRun=1", "wait=yes")) {
      HttpResponse<String> response = app.post("/api/v1/sync/home/run?" + query);

      assertThat(response.statusCode()).as(query).isEqualTo(400);
      assertThat(response.body()).as(query).containsPattern("(wait|dryRun) must be true or false");
    }
    assertThat(json(app.get("/api/v1/sync/home/runs")).get("runs")).isEmpty();
    assertThat(one.requests()).as("no preview either").isEmpty();
  }

  @Test
  void aRunStartedInTheBackgroundAnswersAJobToPollUntilItHoldsEachReplicasRun() throws Exception {
    HttpResponse<String> started = app.post("/api/v1/sync/home/run");

    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    String location = started.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith("/api/v1/jobs/").isEqualTo(json(started).at("/job/url").asText());
    assertThat(json(started).at("/job/state").asText()).isIn("queued", "running");
    Eventually.until("the job is done", Duration.ofSeconds(60), () -> json(app.get(location)).get("state").asText().equals("done"));
    JsonNode job = json(app.get(location));
    assertThat(job.get("group").asText()).isEqualTo("home");
    assertThat(job.get("runs")).extracting(r -> r.get("outcome").asText()).containsExactly("synced", "synced");
    assertThat(job.get("history").asText()).isEqualTo("/api/v1/sync/home/runs");
    assertThat(app.get("/api/v1/jobs/no-such-job").statusCode()).isEqualTo(404);
  }

  /** A sync's own login refused by a replica left its instance 'ok' (r48-restore's sibling): a backup's refused login sets auth_error. */
  @Test
  void aReplicaThatRefusesThePasswordFailsAloneAndItsInstanceSaysAuthError() throws Exception {
    long replica = instance("One");
    assertThat(app.post("/api/v1/instances/" + replica + "/backups?wait=true").statusCode()).isEqualTo(201);
    assertThat(json(app.get("/api/v1/instances/" + replica)).get("status").asText()).isEqualTo("ok");
    one.changePassword("otherpw");

    HttpResponse<String> run = app.post("/api/v1/sync/home/run?wait=true");

    assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
    assertThat(json(run).get("runs")).extracting(r -> r.get("outcome").asText() + " " + r.get("code").asText())
        .containsExactlyInAnyOrder("failed wrong_password", "synced null");
    JsonNode instance = json(app.get("/api/v1/instances/" + replica));
    assertThat(instance.get("status").asText()).as(instance.toString()).isEqualTo("auth_error");
    assertThat(instance.get("statusMessage").asText()).contains("wrong password");
    assertThat(json(app.get("/api/v1/instances/" + instance("Two"))).get("status").asText()).as("the replica that synced").isNotEqualTo("auth_error");
  }

  @Test
  void aDryRunShowsEachReplicasDifferenceAndChangesNothing() throws Exception {
    HttpResponse<String> response = app.post("/api/v1/sync/home/run?dryRun=true");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode replica = json(response).at("/replicas/One");
    assertThat(replica.get("inSync").asBoolean()).isFalse();
    assertThat(replica.at("/diff/categories/domains/added/0").asText()).isEqualTo("deny exact telemetry.example.com");
    assertThat(one.restarts() + two.restarts()).isZero();
    assertThat(json(app.get("/api/v1/sync/home/runs")).get("runs")).isEmpty();
  }

  @Test
  void aDryRunAskedForInABodyIsRefusedRatherThanRunForReal() throws Exception {
    HttpResponse<String> response = app.send("POST", "/api/v1/sync/home/run", "{\"dryRun\":true}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.body()).contains("query string");
    assertThat(one.restarts() + two.restarts()).isZero();
    assertThat(json(app.get("/api/v1/sync/home/runs")).get("runs")).isEmpty();
  }

  @Test
  void runsWhenAskedAndAnswersEachReplicasOutcomeThenPagesTheHistory() throws Exception {
    JsonNode first = json(app.post("/api/v1/sync/home/run?wait=true"));
    JsonNode second = json(app.post("/api/v1/sync/home/run?wait=true"));

    assertThat(first.get("runs")).extracting(r -> r.get("outcome").asText()).as(first.toString()).containsExactly("synced", "synced");
    assertThat(second.get("runs")).as(second.toString()).extracting(r -> r.get("outcome").asText()).containsExactly("in_sync", "in_sync");
    assertThat(one.restarts()).isEqualTo(1);
    JsonNode page = json(app.get("/api/v1/sync/home/runs?limit=3"));
    assertThat(page.get("runs")).hasSize(3);
    JsonNode rest = json(app.get(page.get("next").asText()));
    assertThat(rest.get("runs")).hasSize(1);
    assertThat(rest.at("/runs/0/outcome").asText()).isEqualTo("synced");
    assertThat(json(app.get("/api/v1/sync")).at("/groups/0/lastRuns/0/outcome").asText()).isEqualTo("in_sync");
  }

  @Test
  void aBackupOfThePrimarySyncsTheReplicasOnceAndASecondRunIsQueuedNotRefusedWhenStartedInTheBackground() throws Exception {
    long primary = instance("Main");

    assertThat(app.post("/api/v1/instances/" + primary + "/backups?wait=true").statusCode()).isEqualTo(201);

    Eventually.until("the after-backup sync ran", Duration.ofSeconds(60), () -> json(app.get("/api/v1/sync/home/runs")).get("runs").size() == 2);
    JsonNode runs = json(app.get("/api/v1/sync/home/runs")).get("runs");
    assertThat(runs).extracting(r -> r.get("outcome").asText()).containsExactly("synced", "synced");
    // both runs are recorded a moment before the after-backup run lets go of the group's turn: until it has, this node
    // answers that the group runs (and where to follow it), never that a queued job holds it
    AtomicReference<HttpResponse<String>> answer = new AtomicReference<>();
    Eventually.until("the after-backup run let go of the group", Duration.ofSeconds(20), () -> {
      answer.set(app.post("/api/v1/sync/home/run"));
      return !answer.get().body().contains("is running already; follow it at /api/v1/sync/home/runs");
    });
    HttpResponse<String> started = answer.get();
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    assertThat(started.headers().firstValue("Location").orElseThrow()).startsWith("/api/v1/jobs/");
    Eventually.until("the background run ran", Duration.ofSeconds(60), () -> json(app.get("/api/v1/sync/home/runs")).get("runs").size() == 4);
    assertThat(json(app.get("/api/v1/sync/home/runs")).at("/runs/0/outcome").asText()).isEqualTo("in_sync");
    assertThat(one.restarts()).as("one import for the one change").isEqualTo(1);
  }
}
