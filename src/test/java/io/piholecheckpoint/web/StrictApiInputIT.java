package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.InProcessApp;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Properties of the API's reading of request bodies and query strings, against the running app:
 * a value of another JSON type, or a key the endpoint does not know, at any depth, is a 400 that
 * names the field, and nothing is stored or started; no byte string is ever a 500.
 */
class StrictApiInputIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  /** The JSON type of every field of the request bodies; "parts" is an object of flags. */
  private static final Map<String, String> INSTANCE_FIELDS = Map.ofEntries(Map.entry("name", "string"), Map.entry("url", "string"),
      Map.entry("password", "string"), Map.entry("totpSecret", "string"), Map.entry("tlsMode", "string"), Map.entry("caPem", "string"),
      Map.entry("fingerprint", "string"), Map.entry("timeoutSeconds", "integer"), Map.entry("scheduleKind", "string"),
      Map.entry("time", "string"), Map.entry("day", "string"), Map.entry("cron", "string"), Map.entry("maxBackups", "integer"),
      Map.entry("maxAgeDays", "integer"), Map.entry("keepDaily", "integer"), Map.entry("keepWeekly", "integer"),
      Map.entry("keepMonthly", "integer"), Map.entry("skipUnchanged", "boolean"), Map.entry("active", "boolean"));
  private static final Map<String, String> RESTORE_FIELDS = Map.of("target", "integer", "mode", "string", "dryRun", "boolean",
      "parts", "object", "parts.lists", "boolean", "parts.localDns", "boolean", "parts.settings", "boolean", "parts.identity", "boolean");
  private static final List<String> TYPES = List.of("string", "integer", "float", "boolean", "object", "array", "null");

  private static Path dir;
  private static InProcessApp app;

  @BeforeContainer
  static void start() throws Exception {
    dir = Files.createTempDirectory("strict-api-input");
    // paused: no scheduled backup may change the state the properties compare
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of("PIHOLE_HOME_URL", "http://127.0.0.1:9",
        "PIHOLE_HOME_ACTIVE", "false"));
    assertThat(app.upload("/api/v1/instances/1/backups/import", "file", "a.zip", Fixtures.archiveA()).statusCode()).isEqualTo(201);
  }

  @AfterContainer
  static void stop() {
    app.close();
  }

  /** One request: an endpoint, the body's valid shape and the field types it takes. */
  record Endpoint(String method, String path, ObjectNode valid, Map<String, String> fields) {
  }

  record Mutation(Endpoint endpoint, String field, String type, JsonNode value) {
  }

  private static ObjectNode validInstance() {
    return JSON.createObjectNode().put("name", "Probe").put("url", "http://127.0.0.1:9").put("password", "pw").put("totpSecret", "")
        .put("tlsMode", "system").put("caPem", "").put("fingerprint", "").put("timeoutSeconds", 10).put("scheduleKind", "weekly")
        .put("time", "03:00").put("day", "sunday").put("cron", "").put("maxBackups", 5).put("maxAgeDays", 30).put("keepDaily", 0)
        .put("keepWeekly", 0).put("keepMonthly", 0).put("skipUnchanged", false).put("active", false);
  }

  private static ObjectNode validRestore() {
    ObjectNode body = JSON.createObjectNode().put("target", 1).put("mode", "custom").put("dryRun", false);
    body.putObject("parts").put("lists", true).put("localDns", false).put("settings", false).put("identity", false);
    return body;
  }

  private static List<Endpoint> endpoints() {
    return List.of(new Endpoint("POST", "/api/v1/instances", validInstance(), INSTANCE_FIELDS),
        new Endpoint("PUT", "/api/v1/instances/1", validInstance(), INSTANCE_FIELDS),
        new Endpoint("POST", "/api/v1/backups/1/restore", validRestore(), RESTORE_FIELDS));
  }

  /**
   * An instance's fields that may be sent as null: the default timeout, and those GET answers as null when the TLS mode or
   * schedule kind does not use them (sent back so, they are left out).
   */
  private static final Set<String> NULL_MEANS_LEFT_OUT = Set.of("timeoutSeconds", "caPem", "fingerprint", "time", "day", "cron");

  @Provide
  Arbitrary<Mutation> wrongTypes() {
    return Arbitraries.of(endpoints()).flatMap(e -> Arbitraries.of(e.fields().keySet().stream().sorted().toList()).flatMap(field -> {
      String own = e.fields().get(field);
      List<String> others = TYPES.stream().filter(t -> !t.equals(own) && !(NULL_MEANS_LEFT_OUT.contains(field) && t.equals("null"))).toList();
      return Arbitraries.of(others).flatMap(type -> valueOf(type).map(v -> new Mutation(e, field, type, v)));
    }));
  }

  private static Arbitrary<JsonNode> valueOf(String type) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return switch (type) {
      case "string" -> Arbitraries.oneOf(Arbitraries.of("", "true", "1", "yes", "abc", "0x10", "1.5"), Arbitraries.strings().ofMaxLength(20))
          .map(f::textNode);
      case "integer" -> Arbitraries.longs().map(f::numberNode);
      case "float" -> Arbitraries.oneOf(Arbitraries.of(1.0, 0.0, 1.5, -2.0, 1e3), Arbitraries.doubles()).map(f::numberNode);
      case "boolean" -> Arbitraries.of(true, false).map(f::booleanNode);
      case "object" -> Arbitraries.of(JSON.createObjectNode(), JSON.createObjectNode().put("x", 1));
      case "array" -> Arbitraries.of(JSON.createArrayNode(), JSON.createArrayNode().add(1), JSON.createArrayNode().add(true));
      default -> Arbitraries.just(f.nullNode());
    };
  }

  @Property(tries = 200)
  void aValueOfAnotherJsonTypeIsRefusedNamingItsField(@ForAll("wrongTypes") Mutation m) throws Exception {
    ObjectNode body = m.endpoint().valid().deepCopy();
    int dot = m.field().indexOf('.');
    ObjectNode parent = dot < 0 ? body : (ObjectNode) body.get(m.field().substring(0, dot));
    parent.set(m.field().substring(dot + 1), m.value());
    String before = state();

    HttpResponse<String> response = send(m.endpoint().method(), m.endpoint().path(), JSON.writeValueAsBytes(body));

    assertThat(response.statusCode()).as(m + " -> " + response.body()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).at("/error/field").asText()).as(response.body()).isEqualTo(m.field());
    assertThat(state()).as("nothing stored, changed or started").isEqualTo(before);
  }

  @Provide
  Arbitrary<Mutation> unknownKeys() {
    Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of("bogus", "Name", "dry_run", "dryrun", "id", "origin", "status", ""),
        Arbitraries.strings().ofMinLength(1).ofMaxLength(12));
    return Combinators.combine(Arbitraries.of(endpoints()), names, Arbitraries.of(true, false)).as((e, name, nested) -> {
      String at = nested && e.valid().has("parts") ? "parts." + name : name;
      return new Mutation(e, at, "unknown", JsonNodeFactory.instance.booleanNode(true));
    }).filter(m -> !m.endpoint().fields().containsKey(m.field()));
  }

  @Property(tries = 200)
  void aKeyTheEndpointDoesNotKnowIsRefusedAtAnyDepth(@ForAll("unknownKeys") Mutation m) throws Exception {
    ObjectNode body = m.endpoint().valid().deepCopy();
    boolean nested = m.field().startsWith("parts.");
    (nested ? (ObjectNode) body.get("parts") : body).set(nested ? m.field().substring(6) : m.field(), m.value());
    String before = state();

    HttpResponse<String> response = send(m.endpoint().method(), m.endpoint().path(), JSON.writeValueAsBytes(body));

    assertThat(response.statusCode()).as(m + " -> " + response.body()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).at("/error/field").asText()).isEqualTo(m.field());
    assertThat(state()).isEqualTo(before);
  }

  @Provide
  Arbitrary<Mutation> repeatedKeys() {
    return Arbitraries.of(endpoints()).flatMap(e -> Arbitraries.of(e.fields().keySet().stream().filter(f -> !f.equals("parts")).sorted().toList())
        .flatMap(field -> Arbitraries.of(true, false).map(escaped -> new Mutation(e, field, escaped ? "escaped" : "plain", null))));
  }

  /** A key twice, the second time perhaps spelled with a \\u escape: which one was meant is not ours to guess. */
  @Property(tries = 100)
  void aKeyGivenTwiceIsRefusedNamingItAtAnyDepth(@ForAll("repeatedKeys") Mutation m) throws Exception {
    boolean nested = m.field().startsWith("parts.");
    String key = nested ? m.field().substring(6) : m.field();
    ObjectNode body = m.endpoint().valid().deepCopy();
    ObjectNode parent = nested ? (ObjectNode) body.get("parts") : body;
    JsonNode value = parent.has(key) ? parent.get(key) : JsonNodeFactory.instance.booleanNode(true);
    parent.set(key, value);
    String again = (m.type().equals("escaped") ? "\\u" + String.format("%04x", (int) key.charAt(0)) + key.substring(1) : key);
    String json = JSON.writeValueAsString(body);
    String inner = JSON.writeValueAsString(parent);
    String repeated = inner.substring(0, inner.length() - 1) + ",\"" + again + "\":" + JSON.writeValueAsString(value) + "}";
    String sent = nested ? json.replace(inner, repeated) : repeated;
    String before = state();

    HttpResponse<String> response = send(m.endpoint().method(), m.endpoint().path(), sent.getBytes(StandardCharsets.UTF_8));

    assertThat(response.statusCode()).as(sent + " -> " + response.body()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).at("/error/code").asText()).isEqualTo("duplicate_field");
    assertThat(JSON.readTree(response.body()).at("/error/field").asText()).isEqualTo(m.field());
    assertThat(JSON.readTree(response.body()).at("/error/message").asText()).isEqualTo(m.field() + " is given twice; send it once");
    assertThat(state()).isEqualTo(before);
  }

  @Provide
  Arbitrary<Mutation> halfSurrogates() {
    return Arbitraries.of(endpoints()).flatMap(e -> Arbitraries.of(e.fields().entrySet().stream().filter(f -> f.getValue().equals("string"))
        .map(Map.Entry::getKey).sorted().toList()).flatMap(field -> Combinators.combine(Arbitraries.strings().alpha().ofMaxLength(6),
            Arbitraries.chars().range('\uD800', '\uDFFF'), Arbitraries.strings().alpha().ofMaxLength(6))
        .as((before, half, after) -> new Mutation(e, field, "%s\\u%04x%s".formatted(before, (int) half, after), null))));
  }

  /** JSON may escape half of a surrogate pair; stored, it became "?" (an instance named "?"): refused, naming the field. */
  @Property(tries = 60)
  void aStringHoldingHalfASurrogatePairIsRefusedNamingItsField(@ForAll("halfSurrogates") Mutation m) throws Exception {
    ObjectNode body = m.endpoint().valid().deepCopy();
    body.put(m.field(), "PLACEHOLDER");
    String sent = JSON.writeValueAsString(body).replace("\"PLACEHOLDER\"", "\"" + m.type() + "\"");
    String before = state();

    HttpResponse<String> response = send(m.endpoint().method(), m.endpoint().path(), sent.getBytes(StandardCharsets.UTF_8));

    assertThat(response.statusCode()).as(sent + " -> " + response.body()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).at("/error/code").asText()).isEqualTo("invalid_text");
    assertThat(JSON.readTree(response.body()).at("/error/field").asText()).isEqualTo(m.field());
    assertThat(state()).isEqualTo(before);
  }

  /** Byte sequences that are not UTF-8: overlong forms of "." and "/" (Jackson decoded them to those), a surrogate, stray and cut bytes. */
  private static final List<byte[]> NOT_UTF8 = List.of(new byte[] {(byte) 0xc0, (byte) 0xae}, new byte[] {(byte) 0xe0, (byte) 0x80, (byte) 0xaf},
      new byte[] {(byte) 0xf0, (byte) 0x80, (byte) 0x80, (byte) 0xaf}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
      new byte[] {(byte) 0x80}, new byte[] {(byte) 0xff}, new byte[] {(byte) 0xe2, (byte) 0x82});

  @Provide
  Arbitrary<Mutation> stringFields() {
    return Arbitraries.of(endpoints()).flatMap(e -> Arbitraries.of(e.fields().entrySet().stream().filter(f -> f.getValue().equals("string"))
        .map(Map.Entry::getKey).sorted().toList()).map(field -> new Mutation(e, field, null, null)));
  }

  /** An overlong "." became "a." and was stored so: a body that is not UTF-8 is refused, naming the field, nothing stored. */
  @Property(tries = 40)
  void aStringHoldingBytesThatAreNotUtf8IsRefusedNamingItsField(@ForAll("stringFields") Mutation m,
                                                                @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 6) int which) throws Exception {
    ObjectNode body = m.endpoint().valid().deepCopy();
    body.put(m.field(), "PLACEHOLDER");
    String[] around = JSON.writeValueAsString(body).split("PLACEHOLDER");
    java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();
    sent.writeBytes((around[0] + "a").getBytes(StandardCharsets.UTF_8));
    sent.writeBytes(NOT_UTF8.get(which));
    sent.writeBytes(around[1].getBytes(StandardCharsets.UTF_8));
    String before = state();

    HttpResponse<String> response = send(m.endpoint().method(), m.endpoint().path(), sent.toByteArray());

    assertThat(response.statusCode()).as(m.field() + " -> " + response.body()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).at("/error/code").asText()).isEqualTo("invalid_text");
    assertThat(JSON.readTree(response.body()).at("/error/field").asText()).isEqualTo(m.field());
    assertThat(JSON.readTree(response.body()).at("/error/message").asText()).contains("not valid UTF-8");
    assertThat(state()).isEqualTo(before);
  }

  @net.jqwik.api.Example
  void aFormFieldGivenTwiceIsRefusedNamingIt() throws Exception {
    String before = state();

    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(app.url("/instances")))
        .POST(HttpRequest.BodyPublishers.ofString("name=One&name=Two&url=" + URLEncoder.encode("http://127.0.0.1:9", StandardCharsets.UTF_8)
            + "&scheduleKind=daily&time=03:00&tlsMode=system"))
        .header("Content-Type", "application/x-www-form-urlencoded").build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.body()).contains("name is given twice; send it once");
    assertThat(state()).isEqualTo(before);
  }

  /**
   * Every page's form, posted as a browser without JavaScript would with one field twice: refused in one place, before
   * any servlet takes the first value, with the page's error layout naming the field; the sync group's replicas (one
   * per ticked box) are a list, not a repeat.
   */
  @net.jqwik.api.Example
  void everyPageFormRefusesAFieldGivenTwiceNamingIt() throws Exception {
    String before = state() + app.get("/api/v1/offsite").body() + app.get("/api/v1/sync").body();
    Map<String, String> posts = Map.of(
        "/backups/1/restore", "mode=lists&mode=exact&action=restore&confirm=yes|mode",
        "/instances/1", "name=Home&name=Other&url=http%3A%2F%2F127.0.0.1%3A9|name",
        "/settings/destinations", "name=nas&kind=file&url=%2Ftmp&url=%2Fvar|url",
        "/sync-groups", "name=g&primary=Home&replicas=a&replicas=b&mode=lists&mode=all|mode",
        "/login", "password=a&password=b&next=%2F|password",
        "/instances", "maxBackups=1&maxBackups=2&name=Probe|maxBackups");
    for (Map.Entry<String, String> post : posts.entrySet()) {
      String[] bodyAndField = post.getValue().split("\\|");
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(app.url(post.getKey())))
          .POST(HttpRequest.BodyPublishers.ofString(bodyAndField[0])).header("Content-Type", "application/x-www-form-urlencoded").build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).as(post.getKey() + ": " + response.body()).isEqualTo(400);
      assertThat(response.body()).as(post.getKey()).contains("<section class=\"error-page\">", bodyAndField[1] + " is given twice; send it once");
    }
    assertThat(state() + app.get("/api/v1/offsite").body() + app.get("/api/v1/sync").body()).isEqualTo(before);
    HttpResponse<String> replicas = HTTP.send(HttpRequest.newBuilder(URI.create(app.url("/sync-groups")))
        .POST(HttpRequest.BodyPublishers.ofString("name=g&primary=Nobody&replicas=a&replicas=b")).header("Content-Type", "application/x-www-form-urlencoded")
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(replicas.body()).as("one replica per ticked box").doesNotContain("is given twice");
  }

  /**
   * Every page's form with every field its page sends, as a browser without JavaScript would, and one field more: refused in
   * one place, naming it, before anything is stored; without that field, no form is refused for a field it sends.
   */
  @net.jqwik.api.Example
  void everyPageFormRefusesAFieldItDoesNotHaveNamingIt() throws Exception {
    String before = state() + app.get("/api/v1/offsite").body() + app.get("/api/v1/sync").body();
    String instance = "name=&url=&password=&totpSecret=&tlsMode=system&caPem=&fingerprint=&timeoutSeconds=&scheduleKind=daily&time=03%3A00"
        + "&day=monday&cron=&maxBackups=&maxAgeDays=&keepDaily=&keepWeekly=&keepMonthly=&skipUnchanged=on&active=on";
    String destination = "url=&instances=&encrypt=true&timeoutSeconds=&maxBackups=&maxAgeDays=&keepDaily=&keepWeekly=&keepMonthly=&endpoint="
        + "&region=&accessKeyId=&secretAccessKey=&pathStyle=&user=&password=&privateKey=&privateKeyPassphrase=&hostKey=&action=save";
    String group = "primary=&replicas=a&replicas=b&mode=lists&excludeSettings=&keepReplicaDns=false&when=&snapshot=first&staleAfter=";
    Map<String, String> posts = Map.ofEntries(
        Map.entry("/instances", instance),
        Map.entry("/instances/1", instance),
        Map.entry("/instances/1/delete", "backups=keep"),
        Map.entry("/backups/1/restore", "target=1&mode=custom&lists=on&localDns=on&settings=on&identity=on&confirm=yes&acknowledged=&action=preview"),
        Map.entry("/backups/1/pin", "back=%2Finstances%2F1"),
        Map.entry("/backups/1/delete", "confirm=yes&back=%2Finstances%2F1"),
        Map.entry("/settings/destinations", "name=nas&" + destination),
        Map.entry("/settings/destinations/nas/delete", "understood=on"),
        Map.entry("/sync-groups", "name=g&" + group),
        Map.entry("/sync/g/run", ""),
        Map.entry("/login", "password=a&next=%2F"));
    for (Map.Entry<String, String> post : posts.entrySet()) {
      String body = post.getValue() + (post.getValue().isEmpty() ? "" : "&") + "foo=bar";

      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(app.url(post.getKey())))
          .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/x-www-form-urlencoded").build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).as(post.getKey() + ": " + response.body()).isEqualTo(400);
      assertThat(response.body()).as(post.getKey()).contains("<section class=\"error-page\">", "foo is not a field of this form");
    }
    assertThat(state() + app.get("/api/v1/offsite").body() + app.get("/api/v1/sync").body()).isEqualTo(before);
    // of nothing there (999), or refused by the form's own checks (empty names and URLs): past the check, nothing changes
    for (Map.Entry<String, String> post : posts.entrySet()) {
      String nothingThere = post.getKey().replace("/1", "/999").replace("/nas/", "/nothing/").replace("/g/", "/nothing/");
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(app.url(nothingThere + "?_csrf=x")))
          .POST(HttpRequest.BodyPublishers.ofString(post.getValue().replace("name=nas", "name=").replace("name=g", "name=")))
          .header("Content-Type", "application/x-www-form-urlencoded").build(), HttpResponse.BodyHandlers.ofString());

      assertThat(response.body()).as(nothingThere + " with only its own fields").doesNotContain("is not a field of this form");
      assertThat(response.statusCode()).as(nothingThere + ": " + response.body()).isNotEqualTo(500);
    }
    assertThat(state() + app.get("/api/v1/offsite").body() + app.get("/api/v1/sync").body()).isEqualTo(before);
  }

  /**
   * Every endpoint that reads a JSON body, sent one of another type (or of none): 415 naming what was sent and what to send,
   * before anything is read or changed — a form body ({@code curl -d}'s default) or text that parses as JSON was taken as JSON.
   */
  @net.jqwik.api.Example
  void aJsonBodyOfAnotherContentTypeIsRefusedWith415AtEveryEndpointThatReadsOne() throws Exception {
    String before = state() + app.get("/api/v1/offsite").body() + app.get("/api/v1/sync").body();
    String destination = "{\"name\":\"PLAIN\",\"url\":\"" + dir.resolve("plain").toUri() + "\",\"encrypt\":false}";
    Map<String, String> readers = new java.util.LinkedHashMap<>();
    readers.put("POST /api/v1/instances", validInstance().toString());
    readers.put("PUT /api/v1/instances/1", validInstance().toString());
    readers.put("POST /api/v1/backups/1/restore", validRestore().toString());
    readers.put("POST /api/v1/sync/groups", "{\"name\":\"g\",\"primary\":1,\"replicas\":[]}");
    readers.put("PUT /api/v1/sync/groups/g", "{\"name\":\"g\"}");
    readers.put("POST /api/v1/offsite", destination);
    readers.put("POST /api/v1/offsite/test", destination);
    readers.put("PUT /api/v1/offsite/PLAIN", destination);

    for (Map.Entry<String, String> reader : readers.entrySet()) {
      String method = reader.getKey().substring(0, reader.getKey().indexOf(' '));
      String path = reader.getKey().substring(method.length() + 1);
      for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "text/json", null}) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.url(path))).header("Accept", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(reader.getValue()));
        if (type != null) {
          request.header("Content-Type", type);
        }

        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(reader.getKey() + " as " + type + ": " + response.body()).isEqualTo(415);
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("unsupported_media_type");
        assertThat(error.get("message").asText()).contains(type == null ? "no Content-Type" : "Content-Type " + type)
            .contains("send the JSON object with Content-Type: application/json");
      }
    }
    assertThat(state() + app.get("/api/v1/offsite").body() + app.get("/api/v1/sync").body()).as("nothing read, nothing changed")
        .isEqualTo(before);
  }

  @Property(tries = 200)
  void noByteStringIsEverAcceptedOrA500(@ForAll byte[] bytes, @ForAll("bodyEndpoints") String endpoint) throws Exception {
    String method = endpoint.substring(0, endpoint.indexOf(' '));

    HttpResponse<String> response = send(method, endpoint.substring(method.length() + 1), bytes);

    // the restore goes to a backup that does not exist: a body that happens to be valid is a 404
    assertThat(response.statusCode()).as(response.body()).isIn(400, 404, 413);
    assertThat(JSON.readTree(response.body()).at("/error/message").asText()).isNotEmpty().doesNotContain("Exception");
  }

  @Provide
  Arbitrary<String> bodyEndpoints() {
    return Arbitraries.of("POST /api/v1/instances", "PUT /api/v1/instances/999999", "POST /api/v1/backups/999999/restore");
  }

  @Provide
  Arbitrary<Map.Entry<String, String>> wrongParameters() {
    Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.of("", "0", "-1", "1001", "abc", "1.5", "SUCCESS", "yes", "99999999999999999999"),
        Arbitraries.strings().ofMaxLength(10));
    Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of("limit", "before", "status", "trigger"),
        Arbitraries.of("limt", "Limit", "page", "wait", "cursor", "id"), Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8));
    return Combinators.combine(names, values).as(Map::entry).filter(p -> !validPageParameter(p.getKey(), p.getValue()));
  }

  private static boolean validPageParameter(String name, String value) {
    return switch (name) {
      case "limit" -> value.matches("\\d{1,18}") && Long.parseLong(value) >= 1 && Long.parseLong(value) <= 1000;
      case "before" -> value.matches("\\d{1,18}");
      case "status" -> Set.of("success", "failed").contains(value);
      case "trigger" -> Set.of("manual", "scheduled", "recovered", "imported").contains(value);
      default -> false;
    };
  }

  @Property(tries = 200)
  void aQueryParameterThatIsUnknownOrWrongIsRefusedByName(@ForAll("wrongParameters") Map.Entry<String, String> p) throws Exception {
    String query = URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8);

    HttpResponse<String> response = app.get("/api/v1/instances/1/backups?" + query);

    assertThat(response.statusCode()).as(query + " -> " + response.body()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).at("/error/field").asText()).isEqualTo(p.getKey());
  }

  /** Everything a request could have changed: the instances, the restores to each, the backups of the first. */
  private static String state() throws Exception {
    List<String> parts = new ArrayList<>();
    JsonNode instances = JSON.readTree(app.get("/api/v1/instances").body()).get("instances");
    parts.add(instances.toString());
    for (JsonNode i : instances) {
      parts.add(app.get("/api/v1/instances/" + i.get("id").asLong() + "/restores").body());
    }
    parts.add(app.get("/api/v1/instances/1/backups").body());
    return String.join("\n", parts);
  }

  private static HttpResponse<String> send(String method, String path, byte[] body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(app.url(path))).method(method, HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Content-Type", "application/json").header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
  }
}
