package io.piholecheckpoint.web.page;

import io.piholecheckpoint.core.destination.DestinationConflictException;
import io.piholecheckpoint.core.destination.DestinationFields;
import io.piholecheckpoint.core.destination.DestinationForm;
import io.piholecheckpoint.core.destination.DestinationRefusedException;
import io.piholecheckpoint.core.destination.DestinationService;
import io.piholecheckpoint.core.destination.ManagedDestination;
import io.piholecheckpoint.core.probe.DestinationTests;
import io.piholecheckpoint.core.probe.TestOutcome;
import io.piholecheckpoint.core.settings.ValidationException;
import io.piholecheckpoint.web.Paths;
import io.piholecheckpoint.web.QueryParameters;
import io.piholecheckpoint.web.Routes;
import io.piholecheckpoint.web.Views;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The form of an off-site destination added in Settings: {@code GET /settings/destinations/new} and
 * {@code /settings/destinations/{name}}; a POST saves it or, with {@code action=test}, tests the
 * settings as they are in the form without saving them; {@code POST /settings/destinations/{name}/delete}
 * deletes it (its copies there are kept, its copy records here dropped). Those of the environment
 * are read-only (409).
 */
public final class DestinationsPageServlet extends PageServlet {
  /** The addresses it serves and their methods (see {@link Routes}). */
  public static final List<String> ROUTES = List.of(
      "GET /settings/destinations/new",
      "GET /settings/destinations/{name}",
      "POST /settings/destinations",
      "POST /settings/destinations/{name}",
      "POST /settings/destinations/{name}/delete");
  private static final String SETTING_FIELDS = String.join(" ", DestinationFields.ALL.stream().map(DestinationFields::field).toList());
  /** The fields its forms send (see {@link io.piholecheckpoint.web.access.FormFields}); a new one's name among them. */
  public static final List<String> FORMS = List.of(
      "/settings/destinations name action " + SETTING_FIELDS,
      "/settings/destinations/{name} action " + SETTING_FIELDS,
      "/settings/destinations/{name}/delete understood");
  private static final String VIEW = "settings/destination.ftlh";

  /**
   * @param name null for a new destination
   * @param values the settings shown, by field, never a secret
   * @param secretsSet fields of the secrets stored (the form says "leave empty to keep")
   * @param problem what the rules refused, or null
   * @param test the outcome of a Test of these settings, or null
   */
  public record DestinationPage(String name, Map<String, String> values, Set<String> secretsSet, Map<String, String> errors, String problem,
                                String test, boolean testOk) {
  }

  private final DestinationService destinations;
  private final DestinationTests tests;

  public DestinationsPageServlet(DestinationService destinations, DestinationTests tests, Views views) {
    super(views, true);
    this.destinations = destinations;
    this.tests = tests;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    QueryParameters.of(request);
    String[] parts = Paths.segments(request);
    if (parts.length != 1) {
      response.sendError(404);
    } else if (parts[0].equals("new")) {
      show(request, response, 200, new DestinationPage(null, Map.of("encrypt", "true"), Set.of(), Map.of(), null, null, false));
    } else {
      ManagedDestination stored = editable(parts[0]);
      show(request, response, 200, new DestinationPage(stored.name(), fields(stored.plainSettings()), fieldsOf(stored.secretsSet()), Map.of(), null,
          null, false));
    }
  }

  /** Post, redirect, get after a save or a delete; a Test or a refusal shows the form again with what was sent, secrets left out. */
  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    QueryParameters.of(request);
    String[] parts = Paths.segments(request);
    if (parts.length == 2 && parts[1].equals("delete")) {
      delete(request, response, parts[0]);
      return;
    }
    if (parts.length > 1) {
      response.sendError(404);
      return;
    }
    String name = parts.length == 1 ? editable(parts[0]).name() : null;
    DestinationForm form = form(request, name);
    Set<String> secretsSet = name == null ? Set.of() : fieldsOf(destinations.find(name).secretsSet());
    try {
      if ("test".equals(request.getParameter("action"))) {
        TestOutcome outcome = tests.testUnsaved(form);
        show(request, response, 200, echo(form, name, secretsSet, Map.of(), null, said(outcome), outcome.ok()));
        return;
      }
      ManagedDestination saved = name == null ? destinations.add(form) : destinations.update(name, form);
      seeOther(request, response, "/settings#offsite-" + saved.name());
    } catch (ValidationException e) {
      show(request, response, 400, echo(form, name, secretsSet, e.fieldErrors(), null, null, false));
    } catch (DestinationConflictException e) {
      show(request, response, 409, echo(form, name, secretsSet, Map.of("name", e.getMessage()), null, null, false));
    } catch (DestinationRefusedException e) {
      show(request, response, 422, echo(form, name, secretsSet, Map.of(), e.getMessage(), null, false));
    }
  }

  private void delete(HttpServletRequest request, HttpServletResponse response, String name) throws IOException {
    ManagedDestination stored = editable(name);
    if (request.getParameter("understood") == null) {
      show(request, response, 400, new DestinationPage(stored.name(), fields(stored.plainSettings()), fieldsOf(stored.secretsSet()),
          Map.of("understood", "tick the box to say that you have read what deleting does"), null, null, false));
      return;
    }
    destinations.delete(stored.name());
    seeOther(request, response, "/settings#offsite");
  }

  /** One added here; one of the environment is a 409 (read-only), an unknown one a 404. */
  private ManagedDestination editable(String name) {
    if (destinations.inEnvironment(name)) {
      throw new DestinationConflictException(name.toUpperCase(java.util.Locale.ROOT) + " is configured in the environment (OFFSITE_"
          + name.toUpperCase(java.util.Locale.ROOT) + "_*) and is read-only here");
    }
    return destinations.find(name);
  }

  private static DestinationForm form(HttpServletRequest request, String name) {
    Map<String, String> values = new HashMap<>();
    for (String suffix : DestinationFields.ALL) {
      values.put(suffix, request.getParameter(DestinationFields.field(suffix)));
    }
    return new DestinationForm(name != null ? name : request.getParameter("name"), values);
  }

  /** What was sent, to show again: never a secret. */
  private static DestinationPage echo(DestinationForm form, String name, Set<String> secretsSet, Map<String, String> errors, String problem,
                                     String test, boolean testOk) {
    Map<String, String> values = new TreeMap<>();
    form.values().forEach((suffix, value) -> {
      if (value != null && !DestinationFields.SECRETS.contains(suffix)) {
        values.put(DestinationFields.field(suffix), value);
      }
    });
    if (name == null && form.name() != null) {
      values.put("name", form.name());
    }
    return new DestinationPage(name, values, secretsSet, errors, problem, test, testOk);
  }

  private static Map<String, String> fields(Map<String, String> settings) {
    return settings.entrySet().stream().collect(Collectors.toMap(e -> DestinationFields.field(e.getKey()), Map.Entry::getValue));
  }

  private static Set<String> fieldsOf(Set<String> suffixes) {
    return suffixes.stream().map(DestinationFields::field).collect(Collectors.toUnmodifiableSet());
  }

  private static String said(TestOutcome test) {
    return test.ok() ? "OK: " + test.message() : "Failed at " + test.step() + ": " + test.message();
  }

  private void show(HttpServletRequest request, HttpServletResponse response, int status, DestinationPage page) throws IOException {
    views.render(request, response, status, VIEW, page);
  }
}
