package io.piholecheckpoint.web;

import freemarker.cache.URLTemplateLoader;
import freemarker.template.Configuration;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.net.MalformedURLException;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/** FreeMarker over {@code WEB-INF/templates}; {@code .ftlh} templates escape HTML by default. */
public final class Views {
  /** Request attributes that pages render, set by the access filter: the CSRF token, whether sign-in is on, whether signed in. */
  public static final String CSRF_ATTRIBUTE = "checkpoint.csrf";
  public static final String SIGN_IN_ATTRIBUTE = "checkpoint.signInRequired";
  public static final String SIGNED_IN_ATTRIBUTE = "checkpoint.signedIn";
  private static final String ERROR_VIEW = "errors/error.ftlh";

  private final Configuration freemarker;
  private final String version;
  private final BooleanSupplier syncLinked;
  private final RenderedHtml rendered;

  public Views(ServletContext context, String version) {
    freemarker = new Configuration(Configuration.VERSION_2_3_34);
    freemarker.setTemplateLoader(new ContextTemplateLoader(context, "/WEB-INF/templates"));
    freemarker.setDefaultEncoding("UTF-8");
    // counts are grouped the same way whatever the JVM's locale: 199,903
    freemarker.setLocale(java.util.Locale.US);
    freemarker.setRecognizeStandardFileExtensions(true);
    freemarker.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
    freemarker.setLogTemplateExceptions(false);
    freemarker.setWrapUncheckedExceptions(true);
    freemarker.setFallbackOnNullLoopVariable(false);
    freemarker.setSharedVariable("visible", new VisibleControls());
    // templates ship inside the WAR and never change while it runs
    freemarker.setTemplateUpdateDelayMilliseconds(Duration.ofDays(365).toMillis());
    this.version = version;
    this.syncLinked = () -> false;
    this.rendered = new RenderedHtml();
  }

  private Views(Configuration freemarker, String version, BooleanSupplier syncLinked, RenderedHtml rendered) {
    this.freemarker = freemarker;
    this.version = version;
    this.syncLinked = syncLinked;
    this.rendered = rendered;
  }

  /** The same views with the Sync page in the navigation when {@code linked} says so (where there is a group, or one to add). */
  public Views linkingSync(BooleanSupplier linked) {
    return new Views(freemarker, version, linked, rendered);
  }

  /**
   * Renders {@code template} with {@code page} as its model, and {@code site}: the version, the
   * CSRF token for forms, whether sign-in is on, whether this browser is signed in and whether the
   * navigation links the Sync page.
   */
  public void render(HttpServletRequest request, HttpServletResponse response, int status, String template, Object page) throws IOException {
    render(request, response, status, template, page, syncLinked.getAsBoolean());
  }

  private void render(HttpServletRequest request, HttpServletResponse response, int status, String template, Object page,
                      boolean linkSync) throws IOException {
    response.setStatus(status);
    response.setContentType("text/html;charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    Map<String, Object> site = Map.of("version", version,
        "csrf", String.valueOf(Objects.requireNonNullElse(request.getAttribute(CSRF_ATTRIBUTE), "")),
        "signInRequired", Boolean.TRUE.equals(request.getAttribute(SIGN_IN_ATTRIBUTE)),
        "signedIn", Boolean.TRUE.equals(request.getAttribute(SIGNED_IN_ATTRIBUTE)), "syncLinked", linkSync);
    // Rendered whole before a byte is sent: a template error then gives a clean error page, not
    // half a page, and encoding the page at once is far cheaper than char by char into the response.
    RenderedHtml.Page body = rendered.open(template);
    process(template, page, site, body);
    response.setContentLength(body.finish());
    body.sendTo(response.getOutputStream());
  }

  private String html(String template, Object page, Map<String, Object> site) {
    StringWriter html = new StringWriter();
    process(template, page, site, html);
    return html.toString();
  }

  private void process(String template, Object page, Map<String, Object> site, Writer out) {
    try {
      freemarker.getTemplate(template).process(Map.of("page", page, "site", site), out);
    } catch (TemplateException | IOException e) {
      throw new IllegalStateException("template " + template + " failed: " + (e instanceof TemplateException t ? t.getMessageWithoutStackTop() : e), e);
    }
  }

  /**
   * The error page for {@code answer} as a browser that is not signed in sees it, rendered once, without a request: for
   * answers the container gives before any request reaches the web app (see AccessFilter), which has no session to show.
   */
  public String errorPage(HttpErrors.Answer answer, boolean signInRequired) {
    return html(ERROR_VIEW, new ErrorPage(answer.status(), answer.title(), answer.pageMessage()),
        Map.of("version", version, "csrf", "", "signInRequired", signInRequired, "signedIn", false, "syncLinked", false));
  }

  /**
   * The error page for an answer of {@link HttpErrors}. A page asked for with a parameter it does
   * not take, or a value it cannot use, is the API's 400 as a page whose message names the
   * parameter and what is allowed, never a page that ignores it.
   */
  public void error(HttpServletRequest request, HttpServletResponse response, HttpErrors.Answer answer) throws IOException {
    if (answer.retryAfterSeconds() != null) {
      response.setHeader("Retry-After", Long.toString(answer.retryAfterSeconds()));
    }
    render(request, response, answer.status(), ERROR_VIEW, new ErrorPage(answer.status(), answer.title(), answer.pageMessage()),
        syncLinkedIfKnown());
  }

  /**
   * Whether to link the Sync page, asked of the database: the error page for a database that is down or busy must not fail
   * on the same database while it says so (a 500 in place of the 503 that passes), so then the link is left out.
   */
  private boolean syncLinkedIfKnown() {
    try {
      return syncLinked.getAsBoolean();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static final class ContextTemplateLoader extends URLTemplateLoader {
    private final ServletContext context;
    private final String root;

    ContextTemplateLoader(ServletContext context, String root) {
      this.context = context;
      this.root = root;
    }

    @Override
    protected URL getURL(String name) {
      try {
        return context.getResource(root + "/" + name);
      } catch (MalformedURLException e) {
        return null;
      }
    }
  }
}
