package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.SchemeTestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The wrong scheme for a port, on a running launcher with real sockets both ways: the connection
 * test, a backup run, the instance's last error and the log all name it and the URL to use, and
 * the backup is not retried (the port counts the requests it got).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchemeMismatchIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;

  private InProcessApp app;

  @BeforeAll
  void start() throws Exception {
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of());
  }

  @AfterAll
  void stop() {
    app.close();
  }

  @ParameterizedTest
  @CsvSource({"CLOSE, http, https", "TLS_ALERT, http, https", "NGINX_400, http, https", "PLAIN_HTTP, https, http"})
  void isNamedInTheTestTheBackupTheStatusAndTheLogAndNotRetried(SchemeTestServer.Answer answer, String wrong, String right) throws Exception {
    try (SchemeTestServer server = new SchemeTestServer(answer)) {
      HttpResponse<String> created = app.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", "Wrong " + answer)
          .put("url", server.url(wrong) + "/").put("password", "labpass").toString());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      long id = JSON.readTree(created.body()).get("id").asLong();
      String advice = "use " + server.url(right) + " instead";

      HttpResponse<String> tested = app.post("/api/v1/instances/" + id + "/test");
      assertThat(tested.statusCode()).as("the URL must change: 422").isEqualTo(422);
      JsonNode test = JSON.readTree(tested.body());
      assertThat(test.get("ok").asBoolean()).isFalse();
      assertThat(test.get("code").asText()).isEqualTo("scheme_mismatch");
      assertThat(test.get("message").asText()).contains(advice).doesNotContain("EOF", "Unrecognized SSL");
      assertThat(server.plainRequests()).isEqualTo(1);

      HttpResponse<String> backup = app.post("/api/v1/instances/" + id + "/backups?wait=true");
      assertThat(backup.statusCode()).isEqualTo(502);
      assertThat(backup.body()).contains("scheme_mismatch").contains(advice);
      assertThat(server.plainRequests()).as("one request for the test, one for the backup: no retry").isEqualTo(2);

      JsonNode instance = JSON.readTree(app.get("/api/v1/instances/" + id).body());
      assertThat(instance.get("statusMessage").asText()).contains(advice);
      assertThat(app.output()).contains("Pi-hole 'Wrong " + answer + "' at " + server.url(wrong)).contains(advice);
    }
  }
}
