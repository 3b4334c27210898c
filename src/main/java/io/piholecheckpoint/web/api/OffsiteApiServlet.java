package io.piholecheckpoint.web.api;

import io.piholecheckpoint.core.destination.DestinationDeletedException;
import io.piholecheckpoint.core.destination.DestinationService;
import io.piholecheckpoint.core.destination.ManagedDestination;
import io.piholecheckpoint.core.offsite.CheckAgain;
import io.piholecheckpoint.core.offsite.remote.DestinationDisabledException;
import io.piholecheckpoint.core.offsite.remote.DestinationException;
import io.piholecheckpoint.core.offsite.remote.DestinationException.Problem;
import io.piholecheckpoint.core.offsite.catalog.OffsiteCatalog;
import io.piholecheckpoint.core.probe.DestinationTests;
import io.piholecheckpoint.core.probe.TestOutcome;
import io.piholecheckpoint.core.recovery.AdoptionService;
import io.piholecheckpoint.web.Json;
import io.piholecheckpoint.web.JsonBody;
import io.piholecheckpoint.web.Paths;
import io.piholecheckpoint.web.QueryParameters;
import io.piholecheckpoint.web.Routes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /api/v1/offsite}: each off-site destination's status, pending copies, oldest pending age and last success;
 * {@code POST /api/v1/offsite/{name}/test}: a probe written, read back and deleted there now, with the outcome;
 * {@code POST /api/v1/offsite/{name}/adopt}: what the destination holds taken into the history (disaster
 * recovery), with what it found, adopted and skipped (each reason counted);
 * {@code POST /api/v1/offsite/{name}/check}: Check again, the copies there marked damaged read back now;
 * {@code POST /api/v1/offsite}, {@code PUT} and {@code DELETE /api/v1/offsite/{name}}: destinations added here
 * (those of the environment are read-only: 409); {@code POST /api/v1/offsite/test}: settings tested before they are saved.
 */
public final class OffsiteApiServlet extends JsonApiServlet {
  /** The addresses it serves and their methods (see {@link Routes}). */
  public static final List<String> ROUTES = List.of(
      "GET /api/v1/offsite",
      "POST /api/v1/offsite",
      "POST /api/v1/offsite/test",
      "POST /api/v1/offsite/{name}/test",
      "POST /api/v1/offsite/{name}/adopt",
      "POST /api/v1/offsite/{name}/check",
      "PUT /api/v1/offsite/{name}",
      "DELETE /api/v1/offsite/{name}");
  private final OffsiteCatalog offsite;
  private final CheckAgain checkAgain;
  private final DestinationTests tests;
  private final AdoptionService adoption;
  private final DestinationService destinations;

  public OffsiteApiServlet(OffsiteCatalog offsite, CheckAgain checkAgain, DestinationTests tests, AdoptionService adoption, DestinationService destinations, Json json) {
    super(json);
    this.offsite = offsite;
    this.checkAgain = checkAgain;
    this.tests = tests;
    this.adoption = adoption;
    this.destinations = destinations;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    QueryParameters.of(request);
    if (request.getPathInfo() != null && !request.getPathInfo().equals("/")) {
      json.error(response, 404, "not_found", "no such API resource: " + request.getRequestURI());
      return;
    }
    Map<String, ManagedDestination> managed = new HashMap<>();
    destinations.list().forEach(d -> managed.put(d.name(), d));
    List<ApiModels.OffsiteJson> rows = new ArrayList<>();
    // a name of the environment's is the environment's row, whatever was added here under it before
    offsite.status().forEach(d -> rows.add(ApiModels.OffsiteJson.of(d, offsite.fromEnvironment(d.name()) ? null : managed.get(d.name()))));
    offsite.shadowed().forEach((name, why) -> rows.add(ApiModels.OffsiteJson.of(OffsiteCatalog.DestinationStatus.disabled(name, why),
        managed.get(name))));
    json.write(response, 200, Map.of("destinations", rows));
  }

  /**
   * 200 with the outcome when the probe came back equal and was deleted; when not, the problem with the outcome:
   * 503 when the destination could not be reached or was too slow (it may pass later), 422 when it answered but
   * refused or gave back something else (a setting or the destination must change).
   */
  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    QueryParameters.of(request);
    String[] parts = Paths.segments(request);
    if (parts.length == 0) {
      ManagedDestination added = destinations.add(DestinationRequest.form(read(request)));
      response.setHeader("Location", "/api/v1/offsite/" + added.name());
      json.write(response, 201, describe(added));
      return;
    }
    if (parts.length == 1 && parts[0].equals("test")) {
      answer(tests.testUnsaved(DestinationRequest.form(read(request))), response);
      return;
    }
    if (parts.length != 2 || !List.of("test", "adopt", "check").contains(parts[1])) {
      json.error(response, 404, "not_found", "POST /api/v1/offsite, /api/v1/offsite/test, /api/v1/offsite/{name}/test, /adopt or /check");
      return;
    }
    json.noBody(request);
    if (parts[1].equals("adopt")) {
      adopt(parts[0], response);
      return;
    }
    if (parts[1].equals("check")) {
      checkAgain(parts[0], response);
      return;
    }
    answer(tests.test(parts[0]), response);
  }

  /**
   * 200 with the destination as GET lists it; 404 for an unknown one (deleted meanwhile too), 409 for one of the environment,
   * and 409 {@code destination_deleted} for one deleted right after this change was saved.
   */
  @Override
  protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
    QueryParameters.of(request);
    String[] parts = Paths.segments(request);
    if (parts.length != 1) {
      json.error(response, 404, "not_found", "PUT /api/v1/offsite/{name} with the fields to change");
      return;
    }
    ManagedDestination changed = destinations.update(parts[0], DestinationRequest.form(read(request)));
    json.write(response, 200, describe(changed));
  }

  /**
   * 204: the destination is gone from here, with the queue rows of its copies; the copies it holds there are
   * kept (delete them there if they should go). 404 for an unknown one, 409 for one of the environment.
   */
  @Override
  protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
    QueryParameters.of(request);
    String[] parts = Paths.segments(request);
    if (parts.length != 1) {
      json.error(response, 404, "not_found", "DELETE /api/v1/offsite/{name}");
      return;
    }
    json.noBody(request);
    destinations.delete(parts[0]);
    response.setStatus(204);
  }

  private JsonBody.Read<DestinationRequest> read(HttpServletRequest request) throws IOException {
    return json.read(request, DestinationRequest.class, DestinationRequest.NULLABLE);
  }

  /**
   * What was saved, with how it does now. Read again, it may be gone: deleted on another node or in another window
   * right after it was saved (409), never a 500.
   */
  private ApiModels.OffsiteJson describe(ManagedDestination saved) {
    return offsite.status().stream().filter(d -> d.name().equals(saved.name())).findFirst().map(d -> ApiModels.OffsiteJson.of(d, saved))
        .orElseThrow(() -> new DestinationDeletedException(saved.name()));
  }

  private void answer(TestOutcome outcome, HttpServletResponse response) throws IOException {
    ApiModels.TestJson test = ApiModels.TestJson.of(outcome);
    if (outcome.ok()) {
      json.write(response, 200, Map.of("test", test));
      return;
    }
    boolean down = outcome.problem() == Problem.UNREACHABLE || outcome.problem() == Problem.TIMEOUT;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", new Json.ApiError(outcome.problem().name().toLowerCase(Locale.ROOT), outcome.message()));
    body.put("test", test);
    json.write(response, down ? 503 : 422, body);
  }

  /** 202 with what was found, adopted and skipped; 503 when the destination could not be listed. */
  private void adopt(String name, HttpServletResponse response) throws IOException {
    String key = name.toUpperCase(Locale.ROOT);
    offsite.disabledWhy(key).ifPresent(why -> {
      throw new DestinationDisabledException(key, why); // 409, as for the Test: it is configured, but cannot work
    });
    AdoptionService.Result result;
    try {
      result = adoption.adopt(name);
    } catch (IOException e) {
      // the destination could not be listed: its message says why and holds no secret
      json.error(response, 503, "destination_unavailable", e.getMessage());
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("destination", result.destination());
    body.put("found", result.found());
    body.put("adopted", result.adopted());
    body.put("alreadyKnown", result.known());
    body.put("skipped", result.skippedTotal());
    body.put("skippedBecause", result.skipped());
    body.put("notes", result.notes());
    json.write(response, 202, body);
  }

  /**
   * 200 with what became of each copy marked damaged there (verified again, or still damaged with what was found now);
   * 404 unknown, 409 disabled or while a check of it runs, 503 when the destination cannot be reached (or refuses).
   */
  private void checkAgain(String name, HttpServletResponse response) throws IOException {
    CheckAgain.Outcome outcome;
    try {
      outcome = checkAgain.check(name);
    } catch (DestinationException e) {
      // its message says what failed and holds no secret; the copies keep their mark
      json.error(response, 503, "destination_unavailable", e.getMessage() + "; the damaged copies there keep their mark: check again once it"
          + " answers");
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("destination", outcome.destination());
    body.put("verifiedAgain", outcome.verifiedAgain().stream().map(f -> Map.of("backupId", f.backupId(), "remoteKey", f.remoteKey())).toList());
    body.put("stillDamaged", outcome.stillDamaged().stream()
        .map(f -> Map.of("backupId", f.backupId(), "remoteKey", f.remoteKey(), "found", f.found())).toList());
    body.put("message", outcome.message());
    json.write(response, 200, body);
  }
}
