package io.piholecheckpoint.app;

import io.piholecheckpoint.core.files.OwnedPaths;
import io.piholecheckpoint.core.job.DatabaseBusyException;
import io.piholecheckpoint.core.probe.DestinationTests;
import io.piholecheckpoint.core.units.LogText;
import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.Dialect;
import io.piholecheckpoint.persistence.Migrations;
import io.piholecheckpoint.persistence.SchemaCheck;
import io.piholecheckpoint.pihole.ServerCertificates;
import io.piholecheckpoint.web.CommittedReads;
import io.piholecheckpoint.web.ErrorServlet;
import io.piholecheckpoint.web.Json;
import io.piholecheckpoint.web.Routes;
import io.piholecheckpoint.web.TimeFormat;
import io.piholecheckpoint.web.Views;
import io.piholecheckpoint.web.access.AccessFilter;
import io.piholecheckpoint.web.access.FormFields;
import io.piholecheckpoint.web.access.HostCheckFilter;
import io.piholecheckpoint.web.access.SecurityHeadersFilter;
import io.piholecheckpoint.web.access.SignInServlet;
import io.piholecheckpoint.web.access.SignOutServlet;
import io.piholecheckpoint.web.api.BackupContentsApiServlet;
import io.piholecheckpoint.web.api.BackupsApiServlet;
import io.piholecheckpoint.web.api.HealthServlet;
import io.piholecheckpoint.web.api.InstanceBackupsApiServlet;
import io.piholecheckpoint.web.api.InstanceRestoresApiServlet;
import io.piholecheckpoint.web.api.InstancesApiServlet;
import io.piholecheckpoint.web.api.JobsApiServlet;
import io.piholecheckpoint.web.api.MetricsServlet;
import io.piholecheckpoint.web.api.NotificationsApiServlet;
import io.piholecheckpoint.web.api.OffsiteApiServlet;
import io.piholecheckpoint.web.api.SyncApiServlet;
import io.piholecheckpoint.web.api.RestoresApiServlet;
import io.piholecheckpoint.web.api.RetentionPreviewApiServlet;
import io.piholecheckpoint.web.api.SchedulesApiServlet;
import io.piholecheckpoint.web.api.TlsApiServlet;
import io.piholecheckpoint.web.page.BackupsServlet;
import io.piholecheckpoint.web.page.DashboardPage;
import io.piholecheckpoint.web.page.DashboardServlet;
import io.piholecheckpoint.web.page.DestinationsPageServlet;
import io.piholecheckpoint.web.page.InstanceReads;
import io.piholecheckpoint.web.page.InstancesPageServlet;
import io.piholecheckpoint.web.page.OffsiteView;
import io.piholecheckpoint.web.page.RowActions;
import io.piholecheckpoint.web.page.SettingsServlet;
import io.piholecheckpoint.web.page.SyncGroupsPageServlet;
import io.piholecheckpoint.web.page.SyncPageServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.time.Clock;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import io.piholecheckpoint.core.overview.InstanceOverview;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the {@link Application} to the servlet container: builds it when the web context
 * starts, registers the servlets with their collaborators, and closes it when the context
 * stops. Declared in web.xml, so it may register servlet instances (Servlet 6, section 4.4).
 */
public final class AppListener implements ServletContextListener {
  /**
   * The context attribute through which whoever starts the web app in this JVM may hand it its
   * settings (a {@code Map<String, String>} of the environment's names); without it they are the
   * process's ({@link Settings}). The name is spelled out in Launcher, which does not see
   * this class.
   */
  public static final String SETTINGS_ATTRIBUTE = "io.piholecheckpoint.settings";
  /**
   * A Runnable the launcher runs as soon as the server begins to stop, before it waits for open
   * connections and closes them: running backups are cancelled and recorded then, so a request
   * waiting for one is answered (503) rather than cut off when the connections close.
   */
  public static final String STOPPING_ATTRIBUTE = "io.piholecheckpoint.stopping";
  /**
   * Set when a setting refused the start and this listener logged the one line README promises (all of them named): the
   * launcher then exits without a second line of its own. Spelled out in Launcher too.
   */
  public static final String START_REFUSED_ATTRIBUTE = "io.piholecheckpoint.startRefused";
  /** The exit code of a refused start when it is not 1: {@link FullDisk#EXIT_CODE}. */
  public static final String EXIT_CODE_ATTRIBUTE = "io.piholecheckpoint.startExitCode";
  /**
   * The launcher's own settings that cannot be used (PORT, BIND_ADDRESS, HTTP_IDLE_TIMEOUT_SECONDS; a {@code List<String>},
   * each problem in the web app's words): named with the web app's own in the one refusal. Spelled out in Launcher too.
   */
  public static final String LISTEN_PROBLEMS_ATTRIBUTE = "io.piholecheckpoint.listenProblems";
  /**
   * An {@link Application.PiholeTime} whoever starts the web app in this JVM may hand it: a test's, that moves on to the next
   * TOTP step where the client would wait for it. Without it the Pi-hole client has the system's clock and real pauses.
   */
  public static final String PIHOLE_TIME_ATTRIBUTE = "io.piholecheckpoint.piholeTime";
  private static final Logger log = LoggerFactory.getLogger(AppListener.class);
  /** Pi-hole's own upload limit for Teleporter archives. */
  private static final long UPLOAD_LIMIT = 50L * 1024 * 1024;
  private Application app;
  private UploadFolder uploads;
  /** The Test of off-site destinations: its last outcomes are shared by the Settings page and the API. */
  private DestinationTests tests;
  private Supplier<InstanceOverview.Snapshot> instanceList;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    Map<String, String> settings = settings(context);
    // MyBatis's mapper parse, the page templates' engine and the JSON mapper, with the serializers of /health's answer, need
    // nothing of the application: they are made on the second core while the application starts on this one. The parse first,
    // and from here: the application's first read waits for it, and the settings' checks and the database's opening
    // (~0.1 s) come before that read. An unchecked DATABASE_URL only picks the dialect; a wrong guess is parsed again later.
    Dialect dialect = Settings.value(settings, "DATABASE_URL", "").isBlank() ? Dialect.SQLITE : Dialect.POSTGRESQL;
    // a failed parse is only dropped here (FutureTask keeps it): the start's first read parses again and reports it
    FutureTask<Void> mappers = new FutureTask<>(() -> Database.prepareMappers(dialect), null);
    FutureTask<Views> views = new FutureTask<>(() -> new Views(context, BuildInfo.describe()));
    FutureTask<Json> json = new FutureTask<>(() -> HealthServlet.preparing(new Json()));
    Thread prepare = new Thread(() -> {
      mappers.run();
      views.run();
      json.run();
    }, "prepare-web");
    prepare.setDaemon(true);
    prepare.start();
    AppConfig config = null;
    try {
      config = AppConfig.from(settings, listenProblems(context));
      logSecretFiles(settings);
      app = Application.start(config, context.getAttribute(PIHOLE_TIME_ATTRIBUTE) instanceof Application.PiholeTime given
          ? given : Application.PiholeTime.REAL);
    } catch (AppConfig.ConfigException e) {
      // a setting, not the database or the code: say so, so the user looks at the environment
      // whole, not LogText.escape's 500 characters: a cut list of bad settings ends mid-sentence, and the user must read every
      // item; its values' control characters are escaped (ConfigException did), so none forges a line
      log.error("Pi-hole Checkpoint cannot start. Configuration error: {}", LogText.withoutControls(e.getMessage()));
      context.setAttribute(START_REFUSED_ATTRIBUTE, Boolean.TRUE);
      throw new StartRefused(e.getMessage());
    } catch (RuntimeException e) {
      // the container only says that the context failed; this line says why and what to do
      AppConfig started = config;
      Optional<String> full = FullDisk.message(e, () -> started.dataDir());
      Optional<String> told = full.or(() -> UnwritableDatabase.message(e, () -> started.dataDir()));
      String why = LogText.withoutControls(told.orElseGet(() -> withWhatToDo(e)));
      log.error("Pi-hole Checkpoint cannot start: {}", why);
      context.setAttribute(START_REFUSED_ATTRIBUTE, Boolean.TRUE); // said: the launcher must not say it a second time
      if (full.isPresent()) {
        context.setAttribute(EXIT_CODE_ATTRIBUTE, FullDisk.EXIT_CODE); // as the migration step's: a supervisor keyed on 28 sees it
      }
      if (told.isPresent() || knownReason(e)) {
        // the database busy after the wait, its schema behind or ahead: the line above is the whole story, and the
        // container logs the failed start with the exception's trace, 48 lines that would only bury it
        throw new StartRefused(why);
      }
      throw e;
    }
    Application started = app;
    context.setAttribute(STOPPING_ATTRIBUTE, (Runnable) started::stopping);
    contextPathProblem(context.getContextPath()).ifPresent(problem -> log.error("{}", problem));
    // filters are registered before the servlets, so they run first on every request; the headers
    // first of all: every answer carries them, the Host check's refusal too
    context.addFilter("security-headers", new SecurityHeadersFilter())
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ERROR), false, "/*");
    // the Sync page is linked in the navigation where groups are configured (running or disabled), or can be added
    var groups = app.services().sync().groups();
    boolean configured = !groups.groups().isEmpty() || !groups.disabled().isEmpty();
    var added = app.services().syncGroups();
    register(context, made(views).linkingSync(() -> configured || added.offered()), made(json));
  }

  /**
   * What is wrong with serving the app at {@code contextPath}: its pages, forms, scripts and redirects name their addresses from
   * the root ({@code /login}, {@code /static/app.css}, {@code /api/v1/…}), so under {@code /cp} a browser follows every one of
   * them out of the app. The JSON API, /health and /metrics answer there, so the start goes on, saying so in the log and in
   * /health. Empty at the root.
   */
  static Optional<String> contextPathProblem(String contextPath) {
    if (contextPath == null || contextPath.isEmpty() || contextPath.equals("/")) {
      return Optional.empty();
    }
    String path = LogText.withoutControls(contextPath);
    return Optional.of(("The servlet container deployed Pi-hole Checkpoint at the context path %s: its pages' links, forms and assets point"
        + " at the root (/login, /static/…), so the web UI does not work there (the API, /health and /metrics do, under %s). Deploy the"
        + " WAR as the root context: as webapps/ROOT.war in Jetty or Tomcat").formatted(path, path));
  }

  /**
   * A write of the start refused as busy (another process took the file again after the start waited for it) says only
   * "database busy: a write refused at FILE_LOCKED": the message gains where to look and that a start again will do.
   */
  private static String withWhatToDo(RuntimeException e) {
    java.util.Optional<DatabaseBusyException> busy = DatabaseBusyException.in(e);
    if (busy.isEmpty() || causedBy(e, Migrations.StayedBusy.class)) {
      return e.getMessage(); // the wait's own refusal says what to do
    }
    return e.getMessage() + " — another connection took the database while the server started: " + busy.get().whereToLook()
        + ", then start again";
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }

  private static boolean knownReason(Throwable e) {
    return causedBy(e, DatabaseBusyException.class) || causedBy(e, Migrations.StayedBusy.class) || causedBy(e, SchemaCheck.SchemaException.class)
        || causedBy(e, OwnedPaths.Unusable.class);
  }

  /**
   * The secret files that cannot be read, in one line, though the start goes on (each marks only what uses it, in its own
   * place too): one look at the log names them all. And each plain secret its {@code _FILE} overrides, which is not read.
   */
  private static void logSecretFiles(Map<String, String> settings) {
    List<String> unreadable = SecretFileVariables.unreadable(settings);
    if (!unreadable.isEmpty()) {
      StringBuilder all = new StringBuilder();
      for (int i = 0; i < unreadable.size(); i++) {
        all.append(i == 0 ? "" : " ").append('(').append(i + 1).append(") ").append(unreadable.get(i));
      }
      log.warn("Configuration: {} secret file(s) cannot be read; what uses each waits until it is fixed: {}", unreadable.size(),
          LogText.withoutControls(all.toString()));
    }
    SecretFileVariables.overridden(settings).forEach(line -> log.warn("Configuration: {}", line));
  }

  /** A start refused for a reason its message says in full: no stack trace (as {@link AppConfig.ConfigException}). */
  static final class StartRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StartRefused(String message) {
      super(message, null, false, false);
    }
  }

  private static <T> T made(FutureTask<T> task) {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the web app started", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
  }

  private void register(ServletContext context, Views views, Json json) {
    context.addFilter("host-check", new HostCheckFilter(app.config().allowedHosts(), json, views, app.services().access().signInRequired()))
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
    Application.Services s = app.services();
    Routes routes = routes(context);
    // forwards and includes too: a container's welcome-file dispatch must not skip the wall
    context.addFilter("access", new AccessFilter(s.access(), json, routes, formFields(), views))
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.INCLUDE), false, "/*");
    context.addServlet("sign-in", new SignInServlet(s.access(), views)).addMapping("/login");
    context.addServlet("sign-out", new SignOutServlet(s.access().sessions())).addMapping("/logout");
    tests = new DestinationTests(s.offsiteCatalog(), s.destinations(), app.clock());
    // every instance's row and totals: read once per commit for the dashboard and the API's list alike
    CommittedReads<Boolean, InstanceOverview.Snapshot> everything = new CommittedReads<>(all -> app.overview().read(), app.dataVersion(), 1);
    instanceList = () -> everything.get(true);
    registerPages(context, views);
    registerApi(context, json);
    // the monitors answer under their 1.x addresses with a trailing slash too (web.access.SlashTwins)
    var health = context.addServlet("health", new HealthServlet(app.health(), json, contextPathProblem(context.getContextPath()).orElse(null)));
    health.addMapping("/health", "/health/");
    health.setLoadOnStartup(0); // its init prepares the first answer before the port opens
    context.addServlet("metrics", new MetricsServlet(app.metrics()::scrape)).addMapping("/metrics", "/metrics/");
    // "/static/" itself: Jetty's default servlet would list the folder; asked for directly, the error page is a 404
    context.addServlet("error", new ErrorServlet(views, json, routes)).addMapping("/error", "/static/");
  }

  /** The fields of each page form: the access filter refuses any other (see {@link FormFields}). */
  private static FormFields formFields() {
    return FormFields.of(InstancesPageServlet.FORMS, BackupsServlet.FORMS, DestinationsPageServlet.FORMS, SyncGroupsPageServlet.FORMS,
        SignInServlet.FORMS);
  }

  /** Every address the servlets below serve, with its methods, as each servlet declares them; and the static files. */
  private static Routes routes(ServletContext context) {
    return Routes.of(staticFiles(context, "/static/"), DashboardServlet.ROUTES, InstancesPageServlet.ROUTES, BackupsServlet.ROUTES,
        SettingsServlet.ROUTES, DestinationsPageServlet.ROUTES, SyncPageServlet.ROUTES,
        SyncGroupsPageServlet.ROUTES, SignInServlet.ROUTES, SignOutServlet.ROUTES, HealthServlet.ROUTES,
        MetricsServlet.ROUTES,
        InstancesApiServlet.ROUTES, InstanceBackupsApiServlet.ROUTES, RetentionPreviewApiServlet.ROUTES, InstanceRestoresApiServlet.ROUTES,
        BackupsApiServlet.ROUTES, BackupContentsApiServlet.ROUTES, JobsApiServlet.ROUTES, RestoresApiServlet.ROUTES,
        SchedulesApiServlet.ROUTES, TlsApiServlet.ROUTES, NotificationsApiServlet.ROUTES, OffsiteApiServlet.ROUTES,
        SyncApiServlet.ROUTES);
  }

  /**
   * The files under {@code folder}, each an address of its own: a static address that holds no
   * file is a 404 like any other, not an address that takes GET (and advertises it in {@code Allow}).
   */
  private static List<String> staticFiles(ServletContext context, String folder) {
    List<String> files = new java.util.ArrayList<>();
    java.util.Set<String> paths = context.getResourcePaths(folder);
    for (String path : paths == null ? java.util.Set.<String>of() : paths) {
      if (path.endsWith("/")) {
        files.addAll(staticFiles(context, path));
      } else {
        files.add("GET " + path);
      }
    }
    return files;
  }

  @SuppressWarnings("unchecked")
  private static List<String> listenProblems(ServletContext context) {
    Object given = context.getAttribute(LISTEN_PROBLEMS_ATTRIBUTE);
    return given == null ? List.of() : List.copyOf((List<String>) given);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> settings(ServletContext context) {
    Object given = context.getAttribute(SETTINGS_ATTRIBUTE);
    return given == null ? Settings.read() : Map.copyOf((Map<String, String>) given);
  }

  /** The HTML pages, each servlet with the services it calls. */
  private void registerPages(ServletContext context, Views views) {
    Application.Services s = app.services();
    AppConfig config = app.config();
    TimeFormat time = new TimeFormat(config.timeZone(), app.clock());
    DashboardPage.Live live = new DashboardPage.Live(app.scheduler(), s.queue(), s.integrity()::unsoundFiles,
        app::environmentWarnings);
    OffsiteView offsite = new OffsiteView(s.offsiteCatalog(), s.checkAgain(), tests, s.adoption(), time, s.instances()::list);
    context.addServlet("dashboard", new DashboardServlet(app.overview(), instanceList, s.catalog(), live, offsite, time, views, app.dataVersion()))
        .addMapping("");
    RowActions rowActions = new RowActions(s.catalog(), s.backupCases().deletions(), s.backupCases().acceptance(), s.instances(), time, views);
    context.addServlet("backups", new BackupsServlet(s.catalog(), s.contents(), s.instances(), offsite, s.restores(), rowActions, views))
        .addMapping("/backups/*");
    InstanceReads reads = new InstanceReads(s.instances(), s.catalog(), s.restores(), offsite, app.dataVersion());
    context.addServlet("instances", new InstancesPageServlet(s.instances(), s.backupCases().instanceDeletion(), reads, live, time, views)).addMapping("/instances/*");
    var installation = new SettingsServlet.Installation(BuildInfo.describe(), config.dataDir(), config.timeZone().getId(),
        s.encryptionKeySource(), s.access().signInRequired(), config.encryption().encryptsNewArchives(), app.originalImport().orElse(null),
        config.catalogue().describe(config.dataDir()), config.catalogue().onPostgresql()
            ? "cluster: this is node " + config.nodeName() + "; the nodes share the schedule in PostgreSQL"
            : "single: one process (SQLite; the scheduler lock in DATA_DIR)");
    context.addServlet("settings", new SettingsServlet(s.archives(), app.notifications(), offsite, installation, s.passphrase()::problem,
        () -> s.passphrase().notChecked(s.times()), views))
        .addMapping("/settings", "/settings/offsite/*");
    context.addServlet("destinations", new DestinationsPageServlet(s.destinations(), tests, views))
        .addMapping("/settings/destinations", "/settings/destinations/*");
    context.addServlet("sync", new SyncPageServlet(s.syncStatus(), s.syncGroups(), time, views)).addMapping("/sync", "/sync/*");
    context.addServlet("sync-groups", new SyncGroupsPageServlet(s.syncGroups(), s.instances(), views)).addMapping("/sync-groups", "/sync-groups/*");
  }

  /**
   * The JSON API under {@code /api/v1}. What lies under one instance is served by servlets of its
   * own families, registered by name only: {@code instances-api} hands those requests on to them.
   */
  private void registerApi(ServletContext context, Json json) {
    Application.Services s = app.services();
    ZoneId zone = app.config().timeZone();
    Clock clock = app.clock();
    // uploads are buffered in a private folder of this process, not in a shared /tmp nor among the archives
    uploads = UploadFolder.open(app.config().backupDir().resolve(".uploads"));
    var upload = new MultipartConfigElement(uploads.path().toString(), UPLOAD_LIMIT, UPLOAD_LIMIT + 1024 * 1024, 1024 * 1024);
    var instancesApi = context.addServlet("instances-api", new InstancesApiServlet(s.instances(), app.overview(), instanceList, s.backupCases().instanceDeletion(), s.tester(), zone, json));
    instancesApi.addMapping("/api/v1/instances/*");
    // on both: Tomcat reads the upload by the mapped servlet's setting, Jetty by the one the request was handed on to
    instancesApi.setMultipartConfig(upload);
    context.addServlet(InstanceBackupsApiServlet.NAME, new InstanceBackupsApiServlet(s.instances(), s.catalog(), s.backupCases().imports(), s.queue(), s.offsiteCatalog(), json))
        .setMultipartConfig(upload);
    context.addServlet(RetentionPreviewApiServlet.NAME, new RetentionPreviewApiServlet(s.instances(), s.retention(), clock, json));
    context.addServlet(InstanceRestoresApiServlet.NAME, new InstanceRestoresApiServlet(s.instances(), s.restores(), json));
    context.addServlet("backups-api", new BackupsApiServlet(s.catalog(), s.backupCases().deletions(), s.backupCases().acceptance(), s.integrity(), s.restores(), s.offsiteCatalog(), json))
        .addMapping("/api/v1/backups/*");
    context.addServlet("offsite-api", new OffsiteApiServlet(s.offsiteCatalog(), s.checkAgain(), tests, s.adoption(), s.destinations(), json))
        .addMapping("/api/v1/offsite", "/api/v1/offsite/*");
    context.addServlet("sync-api", new SyncApiServlet(s.sync(), s.syncTickets(), s.syncStatus(), s.syncGroups(), json)).addMapping("/api/v1/sync", "/api/v1/sync/*");
    context.addServlet(BackupContentsApiServlet.NAME, new BackupContentsApiServlet(s.catalog(), s.contents(), json));
    context.addServlet("jobs-api", new JobsApiServlet(s.queue(), s.syncTickets(), json)).addMapping("/api/v1/jobs/*");
    context.addServlet("restores-api", new RestoresApiServlet(s.restores(), json)).addMapping("/api/v1/restores/*");
    context.addServlet("schedules-api", new SchedulesApiServlet(s.instances().schedules(), zone, clock, json)).addMapping("/api/v1/schedules/*");
    context.addServlet("tls-api", new TlsApiServlet(new ServerCertificates(), json)).addMapping("/api/v1/tls/*");
    context.addServlet("notifications-api", new NotificationsApiServlet(app.notifications(), json))
        .addMapping("/api/v1/notifications", "/api/v1/notifications/*");
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    if (app != null) {
      app.close();
      log.info("Pi-hole Checkpoint stopped");
    }
    if (uploads != null) {
      uploads.close();
    }
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    forgetDriversOf(loader);
    stopMetricsSchedulerOf(loader);
  }

  /**
   * The Prometheus client starts one thread of its own ({@code prometheus-metrics-scheduler-0}, a static executor it never
   * stops and offers no call to stop): left parked after an undeploy, it keeps this application's class loader, and every class
   * it loaded, for good, one whole application per redeploy. Stopped only when this application's own loader loaded the client:
   * the embedded launcher runs it in the JVM's loader, where a later start in the same JVM (the in-process tests) uses it again.
   */
  private static void stopMetricsSchedulerOf(ClassLoader loader) {
    Class<?> scheduler = io.prometheus.metrics.core.util.Scheduler.class;
    if (loader == null || loader == ClassLoader.getSystemClassLoader() || scheduler.getClassLoader() != loader) {
      return;
    }
    try {
      java.lang.reflect.Field executor = scheduler.getDeclaredField("executor");
      executor.setAccessible(true);
      ((java.util.concurrent.ExecutorService) executor.get(null)).shutdownNow();
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn("Could not stop the Prometheus client's thread at stop ({}); a redeploy keeps the old application in memory: restart the"
          + " servlet container after an upgrade", e.toString());
    }
  }

  /**
   * A servlet container keeps a web application's class loader alive, and warns, while a JDBC driver it loaded stays
   * registered with the JVM's DriverManager: a redeploy would leak it. Only the drivers this application's own loader
   * loaded are dropped, never one the container or another application shares. The embedded launcher runs the application
   * in the JVM's own loader, where the driver stays for the next start in the same JVM (the in-process tests).
   */
  private static void forgetDriversOf(ClassLoader loader) {
    if (loader == null || loader == ClassLoader.getSystemClassLoader()) {
      return;
    }
    for (java.sql.Driver driver : java.util.Collections.list(java.sql.DriverManager.getDrivers())) {
      if (driver.getClass().getClassLoader() == loader) {
        try {
          java.sql.DriverManager.deregisterDriver(driver);
        } catch (java.sql.SQLException e) {
          log.warn("Could not unregister the JDBC driver {} at stop; a redeploy may keep the old application in memory: {}",
              driver.getClass().getName(), e.getMessage());
        }
      }
    }
  }
}
