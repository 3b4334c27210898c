package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.HttpAgent;
import io.piholecheckpoint.testing.InProcessApp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes behind one address, as a load balancer shows them to a browser: two servers on one
 * database (one DATA_DIR; the second stands by for the scheduler). What one node gave a browser or
 * a script — a session, a CSRF token, a job — the other takes, and a sign-out on one ends the
 * session on both. The browser's cookies are carried from one node's agent to the other's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SessionsAcrossNodesIT {
  private static final String PASSWORD = "app-password-for-tests";
  private static final String API_TOKEN = "api-token-0123456789abcdef";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;

  private FakePihole home;
  private InProcessApp nodeA;
  private InProcessApp nodeB;

  @BeforeAll
  void start() throws Exception {
    home = FakePihole.start("labpass");
    nodeA = node(PASSWORD);
    nodeB = node(PASSWORD);
  }

  private InProcessApp node(String password) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("APP_PASSWORD", password, "API_TOKEN", API_TOKEN,
        "PIHOLE_HOME_URL", home.url(), "PIHOLE_HOME_PASSWORD", "labpass"));
    return InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env);
  }

  @AfterAll
  void stop() {
    nodeB.close();
    nodeA.close();
    home.close();
  }

  private static HttpAgent signedInAt(InProcessApp node) throws Exception {
    HttpAgent browser = new HttpAgent(node);
    browser.get("/login");
    HttpResponse<String> response = browser.postForm("/login", Map.of("password", PASSWORD, "_csrf", browser.csrfToken()));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(303);
    assertThat(browser.get("/settings").statusCode()).isEqualTo(200);
    return browser;
  }

  /** The same browser, its next request sent to {@code node}: its cookies go along. */
  private static HttpAgent sameBrowserAt(InProcessApp node, HttpAgent browser) {
    HttpAgent moved = new HttpAgent(node);
    for (String name : new String[] {"checkpoint_session", "checkpoint_csrf"}) {
      if (browser.cookie(name) != null) {
        moved.setCookie(name, browser.cookie(name));
      }
    }
    return moved;
  }

  @Test
  @Order(1)
  void aSessionStartedOnOneNodeIsSignedInOnTheOther() throws Exception {
    HttpAgent onA = signedInAt(nodeA);

    HttpResponse<String> onB = sameBrowserAt(nodeB, onA).get("/settings");

    assertThat(onB.statusCode()).isEqualTo(200);
    assertThat(onB.body()).contains("Sign out");
  }

  @Test
  @Order(2)
  void aTamperedOrMadeUpSessionCookieIsRefusedOnEveryNode() throws Exception {
    String real = signedInAt(nodeA).cookie("checkpoint_session");
    char last = real.charAt(real.length() - 1);
    String tampered = real.substring(0, real.length() - 1) + (last == 'A' ? 'B' : 'A');

    for (InProcessApp node : new InProcessApp[] {nodeA, nodeB}) {
      for (String cookie : new String[] {tampered, "A".repeat(43), real + "x", real.substring(1)}) {
        HttpAgent forger = new HttpAgent(node);
        forger.setCookie("checkpoint_session", cookie);

        HttpResponse<String> page = forger.get("/settings");

        assertThat(page.statusCode()).as(cookie).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).hasValue("/login?next=%2Fsettings");
      }
    }
  }

  @Test
  @Order(3)
  void aFormFromOneNodePostsToTheOtherAndSigningOutThereEndsTheSessionOnBoth() throws Exception {
    HttpAgent onA = signedInAt(nodeA);
    String tokenFromA = onA.csrfToken();
    HttpAgent onB = sameBrowserAt(nodeB, onA);

    assertThat(onB.postForm("/logout", Map.of("_csrf", "not-the-token")).statusCode()).as("the token is checked").isEqualTo(403);
    HttpResponse<String> signOut = onB.postForm("/logout", Map.of("_csrf", tokenFromA));

    assertThat(signOut.statusCode()).isEqualTo(303);
    assertThat(onA.get("/settings").statusCode()).as("signed out on node A too").isEqualTo(302);
    assertThat(sameBrowserAt(nodeB, onA).get("/settings").statusCode()).isEqualTo(302);
  }

  @Test
  @Order(4)
  void aBackupAskedForOnOneNodeIsFollowedOnTheOtherWhileItRunsAndOnceDone() throws Exception {
    String bearer = "Bearer " + API_TOKEN;
    long id = JSON.readTree(new HttpAgent(nodeA).get("/api/v1/instances", "Authorization", bearer).body()).get("instances").get(0).get("id").asLong();
    FakePihole.Hold hold = home.holdExports();

    HttpResponse<String> posted = new HttpAgent(nodeA).send("POST", "/api/v1/instances/" + id + "/backups", null, null, "Authorization", bearer);
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
    String job = posted.headers().firstValue("Location").orElseThrow();
    assertThat(hold.awaitStarted()).isTrue();
    JsonNode running = JSON.readTree(new HttpAgent(nodeB).get(job, "Authorization", bearer).body());
    HttpResponse<String> second = new HttpAgent(nodeB).send("POST", "/api/v1/instances/" + id + "/backups", null, null, "Authorization", bearer);
    hold.release();
    Eventually.until("the job is done, as node B reads it", Duration.ofSeconds(60),
        () -> JSON.readTree(new HttpAgent(nodeB).get(job, "Authorization", bearer).body()).get("state").asText().equals("done"));

    assertThat(running.get("url").asText()).isEqualTo(job);
    assertThat(running.get("instanceId").asLong()).isEqualTo(id);
    assertThat(running.get("state").asText()).isIn("logging_in", "downloading");
    assertThat(second.statusCode()).as("one backup of an instance at a time, whichever node is asked").isEqualTo(409);
    JsonNode finished = JSON.readTree(new HttpAgent(nodeB).get(job, "Authorization", bearer).body());
    long backup = finished.get("backupId").asLong();
    assertThat(JSON.readTree(new HttpAgent(nodeB).get("/api/v1/backups/" + backup, "Authorization", bearer).body()).get("status").asText())
        .isEqualTo("success");
  }

  @Test
  @Order(5)
  void aSessionOutlivesARestartButNotAChangeOfTheAppPassword() throws Exception {
    HttpAgent browser = signedInAt(nodeA);
    nodeA.close();

    nodeA = node(PASSWORD);
    assertThat(sameBrowserAt(nodeA, browser).get("/settings").statusCode()).as("after a restart").isEqualTo(200);
    nodeA.close();
    nodeA = node("another-app-password-now");

    assertThat(sameBrowserAt(nodeA, browser).get("/settings").statusCode()).as("with another app password").isEqualTo(302);
  }
}
