package io.piholecheckpoint.pihole;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.core.download.Pause;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.gateway.PiholeSession;
import io.piholecheckpoint.core.gateway.PiholeTarget;
import io.piholecheckpoint.core.gateway.PiholeVersions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One login: every call carries its SID, and {@link #close()} gives the seat back. */
final class Session implements PiholeSession {
  private static final Logger log = LoggerFactory.getLogger(Session.class);
  private static final int ERROR_BODY_LIMIT = 4096;
  /**
   * How long an import's (or a logout's) answer is still awaited once Pi-hole Checkpoint is stopping,
   * and how long the logout waits for FTL's restart after an import: within Docker's 10 s stop budget.
   */
  private static final Duration ANSWER_GRACE = Duration.ofSeconds(3);
  private static final Duration RESTART_BEFORE_LOGOUT = Duration.ofSeconds(3);

  /** How to reach one Pi-hole. */
  record Connection(Transport transport, HttpClient http, String base, PiholeTarget target, ObjectMapper json, Pause pause, Clock clock) {
  }

  private final Transport transport;
  private final HttpClient http;
  private final String base;
  private final String sid;
  private final PiholeTarget target;
  private final ObjectMapper json;
  private final Connection connection;
  /** Our stale sessions given back, then the seats in use: run once, when first asked or at logout. */
  private Supplier<Integer> giveBack;
  private Integer seatsInUse;
  private final String authentication;
  /** An import was sent and FTL's restart after it not yet seen. */
  private volatile boolean restartPending;
  /** What tells FTL's restart after the last import from the process that answered it. */
  private volatile FtlRestart restart;
  /** The logout {@link #closeSoon} sent, whose answer {@link #close} awaits; null until then. */
  private CompletableFuture<HttpResponse<String>> loggingOut;

  /** @param giveBack see {@link StaleSessions#giveBackLater} */
  Session(Connection c, String sid, Supplier<Integer> giveBack, String authentication) {
    this.transport = c.transport();
    this.http = c.http();
    this.base = c.base();
    this.target = c.target();
    this.json = c.json();
    this.connection = c;
    this.sid = sid;
    this.giveBack = giveBack;
    this.authentication = authentication;
  }

  @Override
  public String authentication() {
    return authentication;
  }

  @Override
  public synchronized Integer seatsInUse() {
    if (giveBack != null) {
      seatsInUse = giveBack.get();
      giveBack = null;
    }
    return seatsInUse;
  }

  @Override
  public PiholeVersions versions() {
    return versionsLater().get();
  }

  @Override
  public Supplier<PiholeVersions> versionsLater() {
    HttpRequest request = transport.request(target, base, "/api/info/version", sid).GET().build();
    CompletableFuture<HttpResponse<String>> answer = transport.startText(http, request, target);
    return () -> versionsFrom(answer);
  }

  private PiholeVersions versionsFrom(CompletableFuture<HttpResponse<String>> answer) {
    try {
      HttpResponse<String> response = transport.awaitText(answer, target);
      if (response.statusCode() != 200) {
        return PiholeVersions.UNKNOWN;
      }
      JsonNode version = json.readTree(response.body()).path("version");
      return new PiholeVersions(local(version, "core"), local(version, "ftl"), local(version, "web"));
    } catch (IOException | PiholeException e) {
      // the versions label the backup; not knowing them must not fail it
      log.debug("Could not read the versions of Pi-hole '{}': {}", target.name(), e.getMessage());
      return PiholeVersions.UNKNOWN;
    }
  }

  private static String local(JsonNode version, String component) {
    JsonNode v = version.path(component).path("local").path("version");
    return v.isTextual() ? v.asText() : null;
  }

  @Override
  public <T> T exportTeleporter(StreamReader<T> reader) {
    HttpRequest request = transport.request(target, base, "/api/teleporter", sid).header("Accept", "application/zip").GET().build();
    HttpResponse<InputStream> response = transport.send(http, request, HttpResponse.BodyHandlers.ofInputStream(), target);
    try (InputStream body = response.body(); Transport.Guard guard = transport.guard(body, target.timeout())) {
      if (response.statusCode() != 200) {
        throw refused(response.statusCode(), body.readNBytes(ERROR_BODY_LIMIT));
      }
      try {
        return reader.read(guard.untilLastByte(body));
      } catch (IOException e) {
        if (guard.expired()) {
          throw new PiholeException(PiholeException.Failure.TIMEOUT, "Pi-hole '%s' did not finish sending its archive within %s; nothing was kept — raise %s if it is just slow"
              .formatted(target.name(), Errors.seconds(target.timeout()), target.setting("TIMEOUT_SECONDS", "timeout")), e);
        }
        throw new PiholeException(PiholeException.Failure.UNREACHABLE,
            "the connection to Pi-hole '%s' broke while it sent its archive (%s); nothing was kept".formatted(target.name(), e.getMessage()), e);
      }
    } catch (IOException e) {
      throw Errors.transport(target, e);
    }
  }

  private PiholeException refused(int status, byte[] body) {
    JsonNode answer = parse(body);
    if (status == 401) {
      return new PiholeException(PiholeException.Failure.WRONG_PASSWORD,
          "Pi-hole '%s' refused the export as unauthorized — its session ended early; check the password and try again".formatted(target.name()));
    }
    return Errors.unexpected(target, "Teleporter export", status, answer);
  }

  /** The {@code import} selector's gravity part: every gravity table. */
  private static final String ALL_GRAVITY = "\"gravity\":{\"group\":true,\"adlist\":true,\"adlist_by_group\":true,\"domainlist\":true,"
      + "\"domainlist_by_group\":true,\"client\":true,\"client_by_group\":true}";

  @Override
  public List<String> importTeleporter(Path archive, io.piholecheckpoint.core.gateway.ImportScope scope) {
    return importTeleporter(archive, selector(scope));
  }

  /** FTL's {@code import} JSON for a scope: only EVERYTHING omits it, which FTL takes as all (DHCP leases included). */
  static String selector(io.piholecheckpoint.core.gateway.ImportScope scope) {
    return switch (scope) {
      case EVERYTHING -> null;
      case LISTS -> "{" + ALL_GRAVITY + "}";
      case CONFIG -> "{\"config\":true}";
      case LISTS_AND_CONFIG -> "{\"config\":true," + ALL_GRAVITY + "}";
    };
  }

  /** {@code selection} is FTL's {@code import} JSON; null imports everything. */
  List<String> importTeleporter(Path archive, String selection) {
    Multipart body = new Multipart();
    if (selection != null) {
      body.field("import", selection); // before the file: FTL ignores a selection that comes after it
    }
    body.file("file", "checkpoint-restore.zip", archive);
    HttpRequest request = transport.request(target, base, "/api/teleporter", sid)
        .header("Content-Type", body.contentType()).POST(body.publisher()).build();
    restart = FtlRestart.before(connection, sid);
    HttpResponse<String> response;
    try {
      // stopped meanwhile: its answer still says whether the Pi-hole took it, which the restore's record must tell
      response = transport.sendForTextThroughInterrupts(http, request, target, ANSWER_GRACE);
    } catch (Transport.Interrupted e) {
      restartPending = true; // it may take it yet, and restart
      throw new PiholeException(PiholeException.Failure.CANCELLED, "Pi-hole '%s' had not answered the import when Pi-hole Checkpoint stopped; it may have applied it"
          .formatted(target.name()));
    }
    JsonNode answer = parse(response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    if (response.statusCode() == 200) {
      restartPending = true;
    }
    if (response.statusCode() == 403) {
      throw WriteRefusal.forbidden(target, authentication, "the restore", answer);
    }
    if (response.statusCode() == 401) {
      // it no longer knows the session: nothing was applied, and a 401 means "log in again" (pihole-api.md), not "check its logs"
      throw new PiholeException(PiholeException.Failure.WRONG_PASSWORD,
          "Pi-hole '%s' answered the import with HTTP 401: it no longer knew the session, and applied nothing".formatted(target.name()));
    }
    if (response.statusCode() == 429) {
      throw Errors.limited(target, "import", response.headers().firstValue("Retry-After"), answer);
    }
    if (response.statusCode() >= 500) {
      // the archive went out whole; FTL (or a proxy) failing after that may have applied it, in part or all
      PiholeException e = Errors.unexpected(target, "Teleporter import", response.statusCode(), answer);
      throw PiholeException.outcomeUnknown(e.failure(), e.getMessage());
    }
    if (response.statusCode() != 200) {
      throw Errors.unexpected(target, "Teleporter import", response.statusCode(), answer);
    }
    List<String> files = new ArrayList<>();
    answer.path("files").forEach(f -> files.add(f.asText()));
    return files;
  }

  @Override
  public Optional<String> patchConfig(String dottedKey, String jsonValue) {
    String[] path = dottedKey.split("\\.");
    StringBuilder body = new StringBuilder("{\"config\":");
    for (String segment : path) {
      body.append("{").append(json.valueToTree(segment).toString()).append(":");
    }
    body.append(jsonValue).append("}".repeat(path.length)).append("}");
    HttpRequest request = transport.request(target, base, "/api/config", sid).header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(body.toString())).build();
    HttpResponse<String> response = transport.sendForText(http, request, target);
    if (response.statusCode() == 200) {
      return Optional.empty();
    }
    JsonNode answer = parse(response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    JsonNode error = answer.path("error");
    if (response.statusCode() == 503) {
      // not ready (restarting, or a proxy in front waiting for it): not a refusal of the setting, and nothing was applied
      throw Errors.unexpected(target, "change of " + dottedKey, 503, answer);
    }
    if (response.statusCode() == 403) {
      throw WriteRefusal.forbidden(target, authentication, "a settings change", answer);
    }
    if (response.statusCode() == 401) {
      // it no longer knows the session (an expiry, someone's logout): no refusal of the key, and a 401 means "log in again" (pihole-api.md)
      throw new PiholeException(PiholeException.Failure.WRONG_PASSWORD,
          "Pi-hole '%s' answered the change of %s with HTTP 401: it no longer knew the session, and applied nothing".formatted(target.name(), dottedKey));
    }
    return Optional.of(error.path("message").asText("HTTP " + response.statusCode()));
  }

  @Override
  public void awaitRestart(Duration limit) {
    FtlRestart awaited = restart;
    try {
      (awaited != null ? awaited : FtlRestart.unknown(connection, sid)).await(limit);
    } catch (PiholeException e) {
      if (e.failure() == PiholeException.Failure.WRONG_PASSWORD) {
        restartPending = false; // it answered (with a 401): back, and the logout need not wait for it again
      }
      throw e;
    }
    restartPending = false;
  }

  @Override
  public void awaitRestartAfter(PiholeSession ended, Duration limit) {
    if (ended instanceof Session earlier && earlier.restart != null) {
      restart = earlier.restart.on(connection, sid);
      restartPending = true;
    }
    awaitRestart(limit);
  }

  @Override
  public void closeSoon() {
    if (sid == null || restartPending || loggingOut != null || Thread.currentThread().isInterrupted()) {
      return; // close() does what these cases need, as before
    }
    seatsInUse(); // stale sessions are given back before ours ends, as they were before it was used
    try {
      loggingOut = transport.startText(http, logoutRequest(), target);
    } catch (RuntimeException e) {
      log.debug("Could not send the logout of Pi-hole '{}' early: {}; it is sent at the end", target.name(), e.getMessage());
    }
  }

  private HttpRequest logoutRequest() {
    return transport.request(target, base, "/api/auth", sid).DELETE().build();
  }

  @Override
  public void close() {
    if (sid == null) {
      return; // a Pi-hole without a password hands out no session to end
    }
    // a job cancelled at shutdown still gives its seat back: an interrupted thread could not send
    boolean interrupted = Thread.interrupted();
    CompletableFuture<HttpResponse<String>> answer = loggingOut;
    try {
      if (answer == null) {
        if (restartPending) {
          interrupted |= awaitRestartToLogOut();
        }
        seatsInUse(); // stale sessions are given back before ours ends, as they were before it was used
        answer = transport.startText(http, logoutRequest(), target);
      }
      // a second interrupt (the scheduler's, after the download was cut) must not abandon the logout either
      HttpResponse<String> response = transport.awaitTextThroughInterrupts(answer, target, ANSWER_GRACE);
      if (response.statusCode() != 204 && response.statusCode() != 200) {
        log.warn("Logging out of Pi-hole '{}' answered HTTP {}; its API session will expire on its own", target.name(), response.statusCode());
      }
    } catch (PiholeException e) {
      log.warn("Could not log out of Pi-hole '{}': {}; its API session will expire on its own", target.name(), e.getMessage());
    } catch (Transport.Interrupted e) {
      interrupted = true;
      log.warn("Could not log out of Pi-hole '{}': it did not answer before Pi-hole Checkpoint stopped; its API session will expire on its own", target.name());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * After an import whose restart was not waited for (Pi-hole Checkpoint is stopping): FTL
   * refuses connections for about a second, and the session survives the restart, so the logout
   * waits for it, briefly, or the seat stays taken until it expires. Returns whether an interrupt
   * came meanwhile (kept for the caller).
   */
  private boolean awaitRestartToLogOut() {
    long deadline = System.nanoTime() + RESTART_BEFORE_LOGOUT.toNanos(); // elapsed time, whatever the wall clock does
    boolean interrupted = false;
    while (System.nanoTime() - deadline < 0) {
      try {
        awaitRestart(Duration.ofNanos(deadline - System.nanoTime()));
        break;
      } catch (PiholeException e) {
        if (!Thread.interrupted()) {
          log.debug("Pi-hole '{}' was not back from its restart to log out of: {}", target.name(), e.getMessage());
          break;
        }
        interrupted = true; // another part of the shutdown saying stop: this wait is what lets the seat go
      }
    }
    return interrupted;
  }

  private JsonNode parse(byte[] body) {
    try {
      return body.length == 0 ? json.createObjectNode() : json.readTree(body);
    } catch (IOException e) {
      return json.createObjectNode();
    }
  }
}
