package io.piholecheckpoint.launcher;

import io.piholecheckpoint.listen.ListenSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.eclipse.jetty.ee10.servlet.DefaultServlet;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.webapp.Configuration;
import org.eclipse.jetty.ee10.webapp.WebAppConfiguration;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.ee10.webapp.WebInfConfiguration;
import org.eclipse.jetty.ee10.webapp.WebXmlConfiguration;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextRequest;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the exploded Pi-hole Checkpoint WAR on an embedded Jetty, with the WAR's jars on this
 * JVM's class path (entrypoint.sh puts WEB-INF/lib/* there). Knows nothing of the application:
 * everything else is configured by the WAR itself.
 */
public final class Launcher {
  private static final Logger log = LoggerFactory.getLogger(Launcher.class);
  /** AppListener.SETTINGS_ATTRIBUTE: the launcher does not see the web app's classes. */
  private static final String SETTINGS_ATTRIBUTE = "io.piholecheckpoint.settings";
  /** AppListener.STOPPING_ATTRIBUTE: what the web app does first when the server stops. */
  private static final String STOPPING_ATTRIBUTE = "io.piholecheckpoint.stopping";
  /** AccessFilter.BAD_PATH_PAGE_ATTRIBUTE: a Supplier of the web app's 400 page for a path not in plain form, for the paths Jetty refuses itself. */
  private static final String BAD_PATH_PAGE_ATTRIBUTE = "io.piholecheckpoint.badPathPage";
  /** AccessFilter.REFUSED_PAGE_ATTRIBUTE: an IntFunction of the web app's page, by status, for the other requests Jetty refuses itself. */
  private static final String REFUSED_PAGE_ATTRIBUTE = "io.piholecheckpoint.refusedPage";
  /** AppListener.START_REFUSED_ATTRIBUTE: the web app refused to start and its log line said why. */
  private static final String START_REFUSED_ATTRIBUTE = "io.piholecheckpoint.startRefused";
  private static final String EXIT_CODE_ATTRIBUTE = "io.piholecheckpoint.startExitCode";
  /** AppListener.LISTEN_PROBLEMS_ATTRIBUTE: the launcher's own bad settings, for the web app's one refusal. */
  private static final String LISTEN_PROBLEMS_ATTRIBUTE = "io.piholecheckpoint.listenProblems";
  private static final String REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";
  /**
   * Each connection's send buffer (the kernel doubles it). The idle timeout counts from the last bytes written, and a
   * blocked write goes on only when the kernel says the socket is writable again: once a third of the send buffer has
   * gone out. Left to Linux, that buffer grows to tcp_wmem's maximum (4 MB), so a client reading a long answer steadily
   * at a few hundred kB/s let nothing be written for longer than the timeout and was cut mid-download (round 43's
   * outsider). With 512 kB, ~170 kB read is progress: ~6 kB/s keeps a download alive under the 30 s default, while a
   * client that stops reading is still cut after the timeout; and 512 kB in flight is ~40 Mbit/s at 100 ms.
   */
  static final int SEND_BUFFER_BYTES = 256 * 1024;
  /** The most threads Jetty runs requests on (its acceptor and selector among them). */
  static final int MAX_REQUEST_THREADS = 32;
  /**
   * How long a request thread beyond the two Jetty keeps waits idle before it ends: a page view's requests (the page, its
   * style sheet and script) reuse it; a server left alone is back to its two threads seconds later, not after minutes.
   * Starting a thread again costs well under a millisecond.
   */
  static final Duration IDLE_REQUEST_THREAD = Duration.ofSeconds(5);

  private Launcher() {
  }

  /** Usage: {@code Launcher <exploded war directory>}; listens on BIND_ADDRESS:PORT. */
  public static void main(String[] args) {
    if (args.length != 1 || !Files.isDirectory(Path.of(args[0], "WEB-INF"))) {
      System.err.println("usage: Launcher <the exploded pihole-checkpoint WAR directory> (with its WEB-INF/lib/* on the class path)");
      System.exit(2);
    }
    ListenSettings listen;
    ListenSettings.Invalid invalid = null;
    try {
      listen = ListenSettings.from(System.getenv());
    } catch (ListenSettings.Invalid e) {
      // named by the web app beside its own settings, in its one refusal: a bad PORT and a bad TIME_ZONE in one start, not two
      invalid = e;
      listen = new ListenSettings(ListenSettings.DEFAULT_HOST, ListenSettings.DEFAULT_PORT, ListenSettings.DEFAULT_IDLE_TIMEOUT);
    }
    try {
      Server server = start(listen, Path.of(args[0]), null, invalid == null ? List.of() : invalid.problems(), Map.of());
      log.info("Pi-hole Checkpoint listening on http://{}:{}/", listen.host(), ((ServerConnector) server.getConnectors()[0]).getLocalPort());
      server.join();
    } catch (StartRefused e) {
      System.exit(e.exitCode()); // the web app's own line said why, once
    } catch (Exception e) {
      log.error(invalid == null ? notStarted(listen, e) : "Pi-hole Checkpoint cannot start. Configuration error: " + invalid.getMessage());
      System.exit(1);
    }
  }

  /**
   * The line that ends a failed start: what failed and what to do, in the line itself, since
   * nothing else may have said it (Jetty's own failures are not logged before they reach here).
   */
  static String notStarted(ListenSettings listen, Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.net.BindException) {
        return "Pi-hole Checkpoint did not start: cannot listen on " + listen.host() + ":" + listen.port() + " (" + oneLine(cause.getMessage())
            + ") — stop what uses the port, or set PORT or BIND_ADDRESS";
      }
    }
    return "Pi-hole Checkpoint did not start: " + reason(e);
  }

  /** The messages along the cause chain, each once, on one line (the class name where there is none). */
  private static String reason(Throwable e) {
    StringBuilder reason = new StringBuilder();
    for (Throwable cause = e; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
      String said = cause.getMessage() == null || cause.getMessage().isBlank() ? cause.getClass().getSimpleName() : oneLine(cause.getMessage());
      if (reason.indexOf(said) < 0) {
        reason.append(reason.isEmpty() ? "" : ": ").append(said);
      }
    }
    return reason.toString();
  }

  private static String oneLine(String text) {
    return String.valueOf(text).replaceAll("\\s*[\\r\\n]+\\s*", " ").replaceAll("\\p{Cntrl}", "?");
  }

  /** Starts Jetty on {@code host:port} (0 picks a free port) and returns it started. */
  public static Server start(String host, int port, Path war) throws Exception {
    return start(host, port, war, null);
  }

  /**
   * As {@link #start(String, int, Path)}, the web app reading its settings from {@code settings}
   * (names as in the environment) instead of the process's environment when not null: how tests
   * run the app in their own JVM with the settings each of them needs.
   */
  public static Server start(String host, int port, Path war, Map<String, String> settings) throws Exception {
    return start(host, port, war, settings, Map.of());
  }

  /**
   * As {@link #start(String, int, Path, Map)}, the web app's context also holding {@code attributes} (by the names the web
   * app reads): how a test in this JVM hands the web app an object no setting can carry, such as the Pi-hole client's clock.
   */
  public static Server start(String host, int port, Path war, Map<String, String> settings, Map<String, Object> attributes) throws Exception {
    // the idle timeout from the same settings as the web app's, as main reads every setting from the environment
    Duration idleTimeout = ListenSettings.idleTimeoutIn(settings == null ? System.getenv() : settings);
    return start(new ListenSettings(host, port, idleTimeout), war, settings, List.of(), attributes);
  }

  /**
   * @param listenProblems the launcher's own settings that cannot be used: then nothing listens, and the web app is started
   *     only to name them with its own in one refusal (and refuses for them if all of its own are good)
   */
  private static Server start(ListenSettings listen, Path war, Map<String, String> settings, List<String> listenProblems,
                              Map<String, Object> attributes) throws Exception {
    // Jetty's queues pad to a cache line of references and, unless told how many fit, ask the
    // JVM over JMX, which starts the platform's MBean server: ~0.15 s of a start. 64-byte lines
    // of 4-byte compressed references, as a heap under 32 GB has.
    if (System.getProperty(REFERENCES_PER_CACHE_LINE) == null) {
      System.setProperty(REFERENCES_PER_CACHE_LINE, "16");
    }
    // A household's browsers, curl and Prometheus: a few threads, none kept idle for long, none
    // reserved (each live thread costs resident memory; Jetty's defaults are 8 to 200).
    QueuedThreadPool threads = new QueuedThreadPool(MAX_REQUEST_THREADS, 2, (int) IDLE_REQUEST_THREAD.toMillis());
    threads.setReservedThreads(0);
    // Jetty ends one idle thread per idle timeout by default: the dozen a burst of page views starts stayed for minutes
    // (~0.1 MiB resident each, bench/RESULTS.md); all of them may go within one.
    threads.setMaxEvictCount(MAX_REQUEST_THREADS);
    threads.setName("http");
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    // Stated, not assumed: ambiguous paths (%2e%2e, %2F, ;params in segments, //) get 400 from
    // Jetty itself. The web app's AccessFilter does not rely on this (the WAR also runs elsewhere).
    http.setUriCompliance(UriCompliance.DEFAULT);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(listen.host());
    connector.setPort(listen.port());
    // how long a silent client holds its connection (and, sending a body, its thread)
    connector.setIdleTimeout(listen.idleTimeout().toMillis());
    connector.setAcceptedSendBufferSize(SEND_BUFFER_BYTES);
    if (listenProblems.isEmpty()) {
      server.addConnector(connector);
    }

    WebAppContext webapp = new WebAppContext() {
      @Override
      protected ClassLoader configureClassLoader(ClassLoader loader) {
        // One web app per JVM needs no class loader of its own; and only the JVM's built-in
        // loaders take classes from a class-data archive without reading the jars again
        // (0.25 s of the start).
        return loader;
      }

      /**
       * WEB-INF and META-INF reached through a dot segment ({@code /static/../WEB-INF/web.xml}) are answered by the web
       * app's filters, which refuse every path with one (400), not by this check's 404: the same answer for every such path.
       */
      @Override
      protected boolean handleByContextHandler(String pathInContext, ContextRequest request, Response response, Callback callback) {
        return !(climbs(request.getHttpURI().getPath()) && isProtectedTarget(pathInContext))
            && super.handleByContextHandler(pathInContext, request, response, callback);
      }
    };
    webapp.setClassLoader(Launcher.class.getClassLoader());
    webapp.setContextPath("/");
    webapp.setWar(war.toAbsolutePath().toString());
    // nothing in WEB-INF/lib carries web fragments, TLDs or META-INF/resources: not opening every
    // jar to look for them saves a good part of the start (web.xml is metadata-complete too)
    webapp.setAttribute("org.eclipse.jetty.server.webapp.WebInfIncludeJarPattern", "^$");
    // and only what such a WAR needs: no META-INF scan (its sorting alone set up a Collator at every
    // start), no fragments, no jetty-web.xml, no JNDI/JAAS/JSP looked up through a ServiceLoader
    webapp.setConfigurations(new Configuration[] {new WebInfConfiguration(), new WebXmlConfiguration(), new WebAppConfiguration()});
    containerDefaults(webapp);
    // a context that fails to start must stop the process, not linger answering 503
    webapp.setThrowUnavailableOnStartupException(true);
    webapp.setErrorHandler(new ApiErrorPageHandler());
    if (settings != null) {
      webapp.setAttribute(SETTINGS_ATTRIBUTE, Map.copyOf(settings)); // read by the web app's AppListener
    }
    attributes.forEach(webapp::setAttribute);
    if (!listenProblems.isEmpty()) {
      webapp.setAttribute(LISTEN_PROBLEMS_ATTRIBUTE, List.copyOf(listenProblems));
    }
    server.setHandler(BodyReadingLimit.around(webapp, listen.idleTimeout())); // stalled uploads must not take every thread
    server.setDefaultHandler(ApiErrorHandler.notFound()); // OPTIONS *, which no context takes
    // answers Jetty gives before the web app runs (bad escapes, 414, 431) are JSON under /api/ too
    server.setErrorHandler(new ApiErrorHandler(() -> webapp.getServletContext().getAttribute(BAD_PATH_PAGE_ATTRIBUTE)
        instanceof Supplier<?> page && page.get() instanceof String html ? html : null,
        status -> webapp.getServletContext().getAttribute(REFUSED_PAGE_ATTRIBUTE)
            instanceof IntFunction<?> pages && pages.apply(status) instanceof String html ? html : null));

    // SIGTERM (docker stop) stops Jetty gracefully: contexts are destroyed, Quartz shut down.
    // Before Jetty waits for open connections (up to the stop timeout) and closes them, the web
    // app cancels its running backups: a request waiting for one gets its answer first.
    server.addEventListener(new LifeCycle.Listener() {
      @Override
      public void lifeCycleStopping(LifeCycle event) {
        if (webapp.getServletContext().getAttribute(STOPPING_ATTRIBUTE) instanceof Runnable stopping) {
          try {
            stopping.run();
          } catch (RuntimeException e) {
            log.warn("Pi-hole Checkpoint did not cancel its running work before stopping: {}", e.getMessage());
          }
        }
      }
    });
    server.setStopAtShutdown(true);
    // How long the stop waits for open connections: the answers of cancelled backups (503) take
    // well under a second; an upload still arriving would hold it to the end, so its connection is
    // closed after this rather than after 8 s with nothing said. A stopped restore records itself
    // meanwhile, in the application's own bounded wait.
    server.setStopTimeout(3_000);
    try {
      server.start();
    } catch (Exception e) {
      boolean said = Boolean.TRUE.equals(webapp.getServletContext().getAttribute(START_REFUSED_ATTRIBUTE)); // before the stop clears it
      Object exitCode = webapp.getServletContext().getAttribute(EXIT_CODE_ATTRIBUTE);
      server.stop();
      if (said) {
        throw new StartRefused(e, exitCode instanceof Integer code ? code : 1);
      }
      throw e;
    }
    if (!listenProblems.isEmpty()) {
      server.stop(); // a web app that did not name them (never this one's): the launcher does
      throw new ListenSettings.Invalid(listenProblems);
    }
    return server;
  }

  /** The web app refused to start and has logged why; nothing is left to say. */
  public static final class StartRefused extends Exception {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    StartRefused(Throwable cause, int exitCode) {
      super(cause.getMessage(), cause);
      this.exitCode = exitCode;
    }

    /** 1, or the web app's own (28 for a full disk under DATA_DIR, as the migration step's). */
    public int exitCode() {
      return exitCode;
    }
  }

  /**
   * What Jetty's webdefault-ee10.xml gives a web app and this one uses, set here instead of parsed:
   * that descriptor (~350 lines: a JSP servlet looked for in every jar, ~40 locale encodings) was the
   * larger of the two XML files parsed and processed on the start's main thread (~70 ms of its CPU
   * under load, bench/RESULTS.md). The WAR's own web.xml is still read. Left out: the JSP servlet (no JSP engine here, so *.jsp is an
   * ordinary 404), the locale encodings (nothing calls setLocale; every page names its charset) and
   * the Introspector cache cleaner (one web app per JVM, never redeployed).
   */
  private static void containerDefaults(WebAppContext webapp) {
    webapp.setDefaultsDescriptor(null);
    // the static files, with webdefault-ee10.xml's settings; the web app maps /static/ itself to a 404
    ServletHolder files = new ServletHolder("default", DefaultServlet.class);
    files.setInitParameter("acceptRanges", "true");
    files.setInitParameter("dirAllowed", "true");
    files.setInitParameter("welcomeServlets", "false");
    files.setInitParameter("redirectWelcome", "false");
    files.setInitParameter("maxCacheSize", "256000000");
    files.setInitParameter("maxCachedFileSize", "200000000");
    files.setInitParameter("maxCachedFiles", "2048");
    files.setInitParameter("etags", "false");
    files.setInitParameter("useFileMappedBuffer", "true");
    files.setInitOrder(0);
    webapp.addServlet(files, "/");
    webapp.setWelcomeFiles(new String[] {"index.html", "index.htm"});
    webapp.getSessionHandler().setMaxInactiveInterval(30 * 60);
  }

  /** Whether a raw path holds a "." or ".." segment (encoded ones Jetty refuses as ambiguous itself). */
  static boolean climbs(String rawPath) {
    return rawPath != null && java.util.Arrays.stream(rawPath.split("/")).anyMatch(s -> s.equals(".") || s.equals(".."));
  }
}
