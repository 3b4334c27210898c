package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.RawHttp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sync groups of Pi-holes added in the UI, through {@code /api/v1/sync/groups}, beside a group of
 * the environment: checked by the rules of the SYNC_* variables (400), names taken (409), groups
 * that cannot work (422), unknown ones (404), in use and run without a restart, and one whose
 * Pi-hole is deleted disabled with why, across a restart. Requests are sent as written, hostile
 * names and all.
 */
class SyncGroupsApiIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;
  private FakePihole main;
  private FakePihole one;
  private FakePihole two;
  private FakePihole envMain;
  private FakePihole envOne;
  private InProcessApp app;

  @BeforeEach
  void startWithThreePiholesOfOurs() throws Exception {
    main = FakePihole.builder().password("labpass").archive(Fixtures.archiveB()).restartDowntime(Duration.ofMillis(100)).start();
    one = FakePihole.builder().password("labpass").archive(Fixtures.archiveA()).restartDowntime(Duration.ofMillis(100)).start();
    two = FakePihole.builder().password("labpass").archive(Fixtures.archiveA()).restartDowntime(Duration.ofMillis(100)).start();
    envMain = FakePihole.start("labpass");
    envOne = FakePihole.start("labpass");
    app = startApp();
    for (Map.Entry<String, FakePihole> e : Map.of("Lab Main", main, "Lab One", one, "Lab Two", two).entrySet()) {
      HttpResponse<String> added = app.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", e.getKey()).put("url", e.getValue().url())
          .put("password", "labpass").toString());
      assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    }
  }

  private InProcessApp startApp() throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("PIHOLE_MAIN_URL", envMain.url(), "PIHOLE_MAIN_PASSWORD", "labpass",
        "PIHOLE_ONE_URL", envOne.url(), "PIHOLE_ONE_PASSWORD", "labpass", "SYNC_HOME_PRIMARY", "MAIN", "SYNC_HOME_REPLICAS", "ONE",
        "SYNC_HOME_WHEN", "daily"));
    return InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env);
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
    List.of(main, one, two, envMain, envOne).forEach(FakePihole::close);
  }

  private HttpResponse<String> send(String method, String path, Map<String, ?> body) throws Exception {
    return app.send(method, path, body == null ? null : JSON.writeValueAsString(body));
  }

  /** A request as written: the target and the body are sent byte for byte (the body is ASCII: JSON escapes the rest). */
  private RawHttp.Answer raw(String method, String target, String body) throws Exception {
    return RawHttp.exchange(app.port(), method + " " + target + " HTTP/1.1\nHost: 127.0.0.1\nConnection: close\nContent-Type: application/json"
        + "\nAccept: application/json\nContent-Length: " + body.getBytes(StandardCharsets.US_ASCII).length, body);
  }

  private static JsonNode json(String body) throws Exception {
    return JSON.readTree(body);
  }

  private JsonNode sync() throws Exception {
    return json(app.get("/api/v1/sync").body());
  }

  private static JsonNode group(JsonNode sync, String id) {
    for (JsonNode g : sync.get("groups")) {
      if (g.get("id").asText().equals(id)) {
        return g;
      }
    }
    return null;
  }

  private HttpResponse<String> addLab() throws Exception {
    return send("POST", "/api/v1/sync/groups", Map.of("name", "lab", "primary", "Lab Main", "replicas", List.of("Lab One"), "snapshot", "never"));
  }

  private long instance(String name) throws Exception {
    for (JsonNode i : json(app.get("/api/v1/instances").body()).get("instances")) {
      if (i.get("name").asText().equals(name)) {
        return i.get("id").asLong();
      }
    }
    throw new AssertionError("no instance " + name);
  }

  @Test
  void aGroupAddedThroughTheApiIsListedBesideTheEnvironmentsAndSyncsWithoutARestart() throws Exception {
    HttpResponse<String> created = addLab();

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/sync/groups/lab");
    assertThat(json(created.body()).at("/group/primary").asText()).isEqualTo("Lab Main");
    JsonNode listed = sync();
    assertThat(group(listed, "lab").get("addedHere").asBoolean()).isTrue();
    assertThat(group(listed, "lab").get("replicas")).extracting(JsonNode::asText).containsExactly("Lab One");
    assertThat(group(listed, "home").get("addedHere").asBoolean()).as("the environment's").isFalse();
    assertThat(listed.at("/addedHere/0/id").asText()).isEqualTo("lab");
    assertThat(listed.at("/addedHere/0/snapshot").asText()).isEqualTo("never");

    HttpResponse<String> run = app.post("/api/v1/sync/lab/run?wait=true");

    assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
    assertThat(json(run.body()).at("/runs/0/outcome").asText()).as(run.body()).isEqualTo("synced");
    assertThat(one.restarts()).isEqualTo(1);
    assertThat(two.restarts()).as("not in the group").isZero();
  }

  @ParameterizedTest(name = "name {0}")
  @CsvSource(delimiter = '|', value = {
      "'\"..\"'|400|validation_failed",
      "'\"h\\u00f6me\"'|400|validation_failed",
      "'\"h\\u0131me\"'|400|validation_failed",
      "'\"\"'|400|validation_failed",
      "'\"   \"'|400|validation_failed",
      "'\"a/b\"'|400|validation_failed",
      "'\"1lab\"'|400|validation_failed",
      "'\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"'|400|validation_failed",
      "null|400|wrong_type",
      "'\"Home\"'|409|sync_group_conflict",
      "'\"HOME\"'|409|sync_group_conflict"})
  void aHostileOrTakenNameIsRefusedAndNothingIsStored(String name, int status, String code) throws Exception {
    RawHttp.Answer answer = raw("POST", "/api/v1/sync/groups", "{\"name\":" + name + ",\"primary\":\"Lab Main\",\"replicas\":[\"Lab One\"]}");

    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(json(answer.body()).at("/error/code").asText()).isEqualTo(code);
    if (code.equals("validation_failed")) {
      assertThat(json(answer.body()).at("/error/fields/name").asText()).contains("a name is a letter");
    }
    assertThat(sync().get("addedHere")).isEmpty();
    assertThat(group(sync(), "home").get("addedHere").asBoolean()).isFalse();
  }

  @Test
  void aNameIsTakenOnceInAnyCaseAndTheApiNamesItInLowerCase() throws Exception {
    assertThat(addLab().statusCode()).isEqualTo(201);

    RawHttp.Answer again = raw("POST", "/api/v1/sync/groups", "{\"name\":\"LAB\",\"primary\":\"Lab Two\",\"replicas\":[\"Lab One\"]}");
    RawHttp.Answer upper = raw("DELETE", "/api/v1/sync/groups/LAB", "");

    assertThat(again.status()).as(again.body()).isEqualTo(409);
    assertThat(json(again.body()).at("/error/code").asText()).isEqualTo("sync_group_conflict");
    assertThat(upper.status()).isEqualTo(404);
    assertThat(json(upper.body()).at("/error/message").asText()).contains("'lab'");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
      "DELETE|/api/v1/sync/groups/nope|404|sync_group_not_found",
      "DELETE|/api/v1/sync/groups/h%C3%B6me|404|sync_group_not_found",
      "DELETE|/api/v1/sync/groups/h%C4%B1me|404|sync_group_not_found",
      "DELETE|/api/v1/sync/groups/%2E%2E|400|bad_request",
      "DELETE|/api/v1/sync/groups/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa|404|sync_group_not_found",
      "DELETE|/api/v1/sync/groups/home|409|sync_group_conflict",
      "PUT|/api/v1/sync/groups/home|409|sync_group_conflict",
      "PUT|/api/v1/sync/groups/nope|404|sync_group_not_found",
      "DELETE|/api/v1/sync/groups|405|method_not_allowed",
      "GET|/api/v1/sync/groups/lab|405|method_not_allowed"})
  void aGroupNotAddedHereCannotBeChangedOrDeleted(String method, String target, int status, String code) throws Exception {
    assertThat(addLab().statusCode()).isEqualTo(201);

    RawHttp.Answer answer = raw(method, target, method.equals("PUT") ? "{\"mode\":\"lists\"}" : "");

    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(json(answer.body()).at("/error/code").asText()).isEqualTo(code);
    assertThat(group(sync(), "lab")).as("the group added here is untouched").isNotNull();
    assertThat(group(sync(), "home").get("mode").asText()).isEqualTo("lists-and-dns");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "\"mode\":\"exact\"|mode|exact is refused",
      "\"mode\":\"everything\"|mode|must be lists, lists-and-dns or all-but-identity",
      "\"when\":\"* * * * * ?\"|when|runs more often than once a minute",
      "\"when\":\"0 0 31 2 *\"|when|when",
      "\"snapshot\":\"sometimes\"|snapshot|must be first, always or never",
      "\"staleAfter\":\"PT999999999999999H\"|staleAfter|not a duration of at most 3650 days",
      "\"excludeSettings\":[\"dns upstreams\"]|excludeSettings|is not a setting's dotted name",
      "\"replicas\":[]|replicas|replicas is missing: list the Pi-holes to keep like the primary",
      "\"primary\":\"\"|primary|primary is missing"})
  void aSettingTheVariablesRulesRefuseIsA400NamingTheField(String setting, String field, String message) throws Exception {
    String body = "{\"name\":\"lab\",\"primary\":\"Lab Main\",\"replicas\":[\"Lab One\"]," + setting + "}";
    body = body.replace("\"primary\":\"Lab Main\",", setting.startsWith("\"primary\"") ? "" : "\"primary\":\"Lab Main\",")
        .replace("\"replicas\":[\"Lab One\"],", setting.startsWith("\"replicas\"") ? "" : "\"replicas\":[\"Lab One\"],");

    RawHttp.Answer answer = raw("POST", "/api/v1/sync/groups", body);

    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    assertThat(json(answer.body()).at("/error/code").asText()).isEqualTo("validation_failed");
    assertThat(json(answer.body()).at("/error/fields/" + field).asText()).contains(message);
    assertThat(sync().get("addedHere")).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "POST|/api/v1/sync/groups|{\"name\":\"lab\",\"primary\":\"Lab Main\",\"replicas\":[null]}|replicas[0]",
      "POST|/api/v1/sync/groups|{\"name\":\"lab\",\"primary\":\"Lab Main\",\"replicas\":[\"Lab One\"],\"excludeSettings\":[null]}|excludeSettings[0]",
      "PUT|/api/v1/sync/groups/lab|{\"replicas\":[\"Lab One\",null]}|replicas[1]",
      "PUT|/api/v1/sync/groups/lab|{\"excludeSettings\":[\"dns.upstreams\",null]}|excludeSettings[1]",
      "POST|/api/v1/sync/groups|{\"name\":\"lab\",\"primary\":\"Lab Main\",\"replicas\":\"Lab One\"}|replicas must be a list",
      "PUT|/api/v1/sync/groups/lab|{\"excludeSettings\":\"x\"}|excludeSettings must be a list"})
  void aNullInAListOrAStringForAListIsA400NamingItAndNothingChanges(String method, String path, String body, String at) throws Exception {
    if (method.equals("PUT")) {
      assertThat(addLab().statusCode()).isEqualTo(201);
    }
    String before = sync().get("addedHere").toString();

    RawHttp.Answer answer = raw(method, path, body);

    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    assertThat(json(answer.body()).at("/error/code").asText()).isEqualTo("wrong_type");
    assertThat(json(answer.body()).at("/error/message").asText()).contains(at);
    assertThat(sync().get("addedHere").toString()).isEqualTo(before);
  }

  @Test
  void aGroupThatCannotWorkWithThePiholesThereAreIsA422SayingWhy() throws Exception {
    assertThat(addLab().statusCode()).isEqualTo(201);

    HttpResponse<String> environment = send("POST", "/api/v1/sync/groups", Map.of("name", "mixed", "primary", "Lab Two", "replicas", List.of("MAIN")));
    HttpResponse<String> unknown = send("POST", "/api/v1/sync/groups", Map.of("name", "ghost", "primary", "Lab Two", "replicas", List.of("Lab Nine")));
    HttpResponse<String> twice = send("POST", "/api/v1/sync/groups", Map.of("name", "twice", "primary", "Lab Two", "replicas", List.of("lab one")));
    HttpResponse<String> chain = send("POST", "/api/v1/sync/groups", Map.of("name", "chain", "primary", "Lab One", "replicas", List.of("Lab Two")));
    HttpResponse<String> self = send("POST", "/api/v1/sync/groups", Map.of("name", "self", "primary", "Lab Two", "replicas", List.of("Lab Two")));
    // a second record of Lab One's Pi-hole, its address spelt with a trailing slash: two groups would overwrite it in turn
    assertThat(app.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", "Lab One Again").put("url", one.url() + "/")
        .put("password", "labpass").toString()).statusCode()).isEqualTo(201);
    HttpResponse<String> again = send("POST", "/api/v1/sync/groups", Map.of("name", "again", "primary", "Lab Two", "replicas", List.of("Lab One Again")));

    assertThat(List.of(environment, unknown, twice, chain, self, again)).allSatisfy(r -> {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
      assertThat(json(r.body()).at("/error/code").asText()).isEqualTo("sync_group_refused");
    });
    assertThat(json(environment.body()).at("/error/message").asText()).contains("PIHOLE_MAIN_", "configured in the environment");
    assertThat(json(unknown.body()).at("/error/message").asText()).contains("no Pi-hole named 'Lab Nine'");
    assertThat(json(twice.body()).at("/error/message").asText()).contains("already a replica in group LAB");
    assertThat(json(chain.body()).at("/error/message").asText()).contains("a chain of syncs is refused");
    assertThat(json(self.body()).at("/error/message").asText()).contains("is the group's primary");
    assertThat(json(again.body()).at("/error/message").asText()).contains("'Lab One Again' is already a replica in group LAB");
    assertThat(sync().get("addedHere")).hasSize(1);
  }

  @Test
  void aChangeTakesEffectAtOnceAndLeavesWhatWasNotSentAsItWas() throws Exception {
    assertThat(addLab().statusCode()).isEqualTo(201);

    HttpResponse<String> changed = send("PUT", "/api/v1/sync/groups/lab", Map.of("replicas", List.of("Lab One", "Lab Two"), "when", "0 */5 * * * ?",
        "mode", "lists"));
    HttpResponse<String> renamed = send("PUT", "/api/v1/sync/groups/lab", Map.of("name", "other"));
    HashMap<String, Object> reset = new HashMap<>();
    reset.put("when", null);
    HttpResponse<String> defaulted = send("PUT", "/api/v1/sync/groups/lab", reset);

    assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
    assertThat(json(changed.body()).at("/group/replicas")).extracting(JsonNode::asText).containsExactly("Lab One", "Lab Two");
    assertThat(json(changed.body()).at("/group/when").asText()).isEqualTo("cron '0 */5 * * * ?'");
    assertThat(json(changed.body()).at("/group/snapshot").asText()).as("not sent: kept").isEqualTo("never");
    assertThat(renamed.statusCode()).isEqualTo(400);
    assertThat(json(renamed.body()).at("/error/fields/name").asText()).contains("keeps its name");
    assertThat(defaulted.statusCode()).as(defaulted.body()).isEqualTo(200);
    assertThat(json(defaulted.body()).at("/group/when").asText()).isEqualTo("after-backup");
    assertThat(json(defaulted.body()).at("/group/mode").asText()).isEqualTo("lists");
  }

  /** The outsider saw "primary": null: a disabled group names the primary it has, and that the group is disabled. */
  @Test
  void healthNamesTheDeletedPrimaryOfADisabledGroup() throws Exception {
    assertThat(addLab().statusCode()).isEqualTo(201);

    // its backups kept: the record, and so the name, stays (deleted with its backups, it is "#<id>", as the disabled reason says)
    assertThat(app.send("DELETE", "/api/v1/instances/" + instance("Lab Main") + "?backups=keep", null).statusCode()).isEqualTo(204);

    JsonNode lab = null;
    for (JsonNode g : json(app.get("/health").body()).get("syncGroups")) {
      lab = g.get("id").asText().equals("lab") ? g : lab;
    }
    assertThat(lab).as("lab in /health").isNotNull();
    assertThat(lab.get("primary").asText()).isEqualTo("Lab Main, deleted (the group is disabled)");
    assertThat(lab.get("disabled").asText()).contains("primary: the Pi-hole 'Lab Main' was deleted");
  }

  @Test
  void aGroupWhosePiholeIsDeletedIsDisabledSayingWhyAcrossARestartUntilItIsDeleted() throws Exception {
    assertThat(addLab().statusCode()).isEqualTo(201);
    assertThat(app.post("/api/v1/sync/lab/run?wait=true").statusCode()).isEqualTo(200);

    assertThat(app.send("DELETE", "/api/v1/instances/" + instance("Lab One") + "?backups=delete", null).statusCode()).isEqualTo(204);

    assertThat(sync().at("/disabled/lab").asText()).contains("replicas: the Pi-hole", "was deleted", "delete the group");
    assertThat(sync().at("/addedHere/0/disabled").asText()).contains("was deleted");
    assertThat(app.post("/api/v1/sync/lab/run").statusCode()).isEqualTo(404);
    JsonNode health = json(app.get("/health").body());
    assertThat(health.get("status").asText()).isEqualTo("degraded");
    app.close();
    app = startApp();
    assertThat(app.get("/health").statusCode()).isEqualTo(200);
    assertThat(sync().at("/disabled/lab").asText()).contains("was deleted");
    assertThat(group(sync(), "home")).as("the other groups run").isNotNull();

    HttpResponse<String> deleted = app.send("DELETE", "/api/v1/sync/groups/lab", null);

    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(sync().get("addedHere")).isEmpty();
    assertThat(sync().get("disabled").has("lab")).isFalse();
    assertThat(app.get("/api/v1/sync/lab/runs").statusCode()).isEqualTo(404);
  }

  /**
   * The outsider polled a run 48 s in and read "queued" with no runs, the first replica long synced: the job is running from
   * its start and lists each replica's run as it ends.
   */
  @Test
  void aRunPolledWhileItIsAtItsSecondReplicaIsRunningWithTheFirstReplicasRun() throws Exception {
    assertThat(send("POST", "/api/v1/sync/groups", Map.of("name", "lab", "primary", "Lab Main", "replicas", List.of("Lab One", "Lab Two"),
        "snapshot", "never")).statusCode()).isEqualTo(201);
    FakePihole.Hold hold = two.holdImports();

    HttpResponse<String> started = app.post("/api/v1/sync/lab/run");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    String job = json(started.body()).at("/job/url").asText();
    assertThat(hold.awaitStarted()).as("the run is at the second replica's import").isTrue();
    JsonNode meanwhile = json(app.get(job).body());
    hold.release();
    JsonNode ended = meanwhile;
    for (long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos(); ended.path("finishedAt").isNull() && System.nanoTime() < deadline; ) {
      ended = json(app.get(job).body());
    }

    assertThat(meanwhile.path("state").asText()).as(meanwhile.toString()).isEqualTo("running");
    assertThat(meanwhile.path("runs")).hasSize(1);
    assertThat(meanwhile.at("/runs/0/replicaId").asLong()).isEqualTo(instance("Lab One"));
    assertThat(meanwhile.at("/runs/0/outcome").asText()).isEqualTo("synced");
    assertThat(ended.path("state").asText()).as(ended.toString()).isEqualTo("done");
    assertThat(ended.path("runs")).extracting(r -> r.path("replicaId").asLong()).containsExactly(instance("Lab One"), instance("Lab Two"));
  }

  @Test
  void aSecondRunWhileOneRunsIsA409SyncConflictAndSoIsDeletingTheGroup() throws Exception {
    assertThat(addLab().statusCode()).isEqualTo(201);
    FakePihole.Hold hold = one.holdImports();

    HttpResponse<String> first = app.post("/api/v1/sync/lab/run");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    assertThat(hold.awaitStarted()).isTrue();
    HttpResponse<String> second = app.post("/api/v1/sync/lab/run");
    HttpResponse<String> delete = app.send("DELETE", "/api/v1/sync/groups/lab", null);
    hold.release();

    assertThat(second.statusCode()).isEqualTo(409);
    assertThat(json(second.body()).at("/error/code").asText()).isEqualTo("sync_conflict");
    assertThat(delete.statusCode()).isEqualTo(409);
    assertThat(json(delete.body()).at("/error/code").asText()).isEqualTo("sync_conflict");
  }
}
