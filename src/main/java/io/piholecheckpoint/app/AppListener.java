package io.piholecheckpoint.app;

import io.piholecheckpoint.core.instance.LogText;
import io.piholecheckpoint.web.AccessFilter;
import io.piholecheckpoint.web.ApiServices;
import io.piholecheckpoint.web.BackupsApiServlet;
import io.piholecheckpoint.web.BackupsServlet;
import io.piholecheckpoint.web.DashboardServlet;
import io.piholecheckpoint.web.ErrorServlet;
import io.piholecheckpoint.web.HealthServlet;
import io.piholecheckpoint.pihole.ServerCertificates;
import io.piholecheckpoint.web.InstancesApiServlet;
import io.piholecheckpoint.web.SchedulesApiServlet;
import io.piholecheckpoint.web.TlsApiServlet;
import io.piholecheckpoint.web.InstancesPageServlet;
import io.piholecheckpoint.web.RestoresApiServlet;
import io.piholecheckpoint.web.HostCheckFilter;
import io.piholecheckpoint.web.SecurityHeadersFilter;
import io.piholecheckpoint.web.SettingsServlet;
import io.piholecheckpoint.web.SignInServlet;
import io.piholecheckpoint.web.SignOutServlet;
import io.piholecheckpoint.web.JobsApiServlet;
import io.piholecheckpoint.web.MetricsServlet;
import io.piholecheckpoint.web.NotificationsApiServlet;
import io.piholecheckpoint.web.Json;
import io.piholecheckpoint.web.Views;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
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
   * process's ({@link ProcessSettings}). The name is spelled out in Launcher, which does not see
   * this class.
   */
  public static final String SETTINGS_ATTRIBUTE = "io.piholecheckpoint.settings";
  private static final Logger log = LoggerFactory.getLogger(AppListener.class);
  /** Pi-hole's own upload limit for Teleporter archives. */
  private static final long UPLOAD_LIMIT = 50L * 1024 * 1024;
  private Application app;
  private UploadFolder uploads;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    try {
      app = Application.start(AppConfig.from(settings(context)));
    } catch (AppConfig.ConfigException e) {
      // a setting, not the database or the code: say so, so the user looks at the environment
      log.error("Pi-hole Checkpoint cannot start. Configuration error: {}", LogText.escape(e.getMessage()));
      throw e;
    } catch (RuntimeException e) {
      // the container only says that the context failed; this line says why and what to do
      log.error("Pi-hole Checkpoint cannot start: {}", e.getMessage());
      throw e;
    }
    // registered before the servlets, so they run first on every request
    context.addFilter("host-check", new HostCheckFilter(app.config().allowedHosts()))
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
    context.addFilter("security-headers", new SecurityHeadersFilter())
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ERROR), false, "/*");
    Views views = new Views(context, BuildInfo.describe());
    Json json = new Json();
    Clock clock = Clock.systemUTC();
    Application.Services s = app.services();
    // forwards and includes too: a container's welcome-file dispatch must not skip the wall
    context.addFilter("access", new AccessFilter(s.access(), json))
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.INCLUDE), false, "/*");
    context.addServlet("sign-in", new SignInServlet(s.access(), views)).addMapping("/login");
    context.addServlet("sign-out", new SignOutServlet(s.access().sessions())).addMapping("/logout");
    ApiServices api = new ApiServices(s.instances(), s.backups(), s.queue(), s.integrity(), s.retention(), s.tester(), s.restores(), clock);
    context.addServlet("dashboard", new DashboardServlet(api, views, app.config().timeZone(), app.scheduler(), app.dataVersion())).addMapping("");
    context.addServlet("backups", new BackupsServlet(s.backups(), s.contents(), s.instances(), views)).addMapping("/backups/*");
    context.addServlet("instances", new InstancesPageServlet(api, views, app.config().timeZone(), app.scheduler(), app.dataVersion())).addMapping("/instances/*");
    context.addServlet("settings", new SettingsServlet(views, s.archives(), app.notifier(), BuildInfo.describe(), app.config().dataDir(),
        app.config().timeZone().getId(), s.encryptionKeySource(), s.access().signInRequired(), app.config().archiveCipher().encryptsNewArchives())).addMapping("/settings");
    var instancesApi = context.addServlet("instances-api", new InstancesApiServlet(api, json, app.config().timeZone()));
    instancesApi.addMapping("/api/v1/instances/*");
    // uploads are buffered in a private folder of this process, not in a shared /tmp nor among the archives
    uploads = UploadFolder.open(app.config().backupDir().resolve(".uploads"));
    instancesApi.setMultipartConfig(new MultipartConfigElement(uploads.path().toString(), UPLOAD_LIMIT, UPLOAD_LIMIT + 1024 * 1024, 1024 * 1024));
    context.addServlet("schedules-api", new SchedulesApiServlet(s.instances().schedules(), app.config().timeZone(), clock, json))
        .addMapping("/api/v1/schedules/*");
    context.addServlet("tls-api", new TlsApiServlet(new ServerCertificates(), json)).addMapping("/api/v1/tls/*");
    context.addServlet("restores-api", new RestoresApiServlet(s.restores(), json)).addMapping("/api/v1/restores/*");
    context.addServlet("jobs-api", new JobsApiServlet(s.queue(), json)).addMapping("/api/v1/jobs/*");
    context.addServlet("backups-api", new BackupsApiServlet(s.backups(), s.integrity(), s.contents(), s.restores(), json)).addMapping("/api/v1/backups/*");
    var health = context.addServlet("health", new HealthServlet(app.health(), json));
    health.addMapping("/health");
    health.setLoadOnStartup(0); // its init prepares the first answer before the port opens

    context.addServlet("metrics", new MetricsServlet(app.metrics())).addMapping("/metrics", "/metrics/*");
    context.addServlet("notifications-api", new NotificationsApiServlet(app.notifier(), json)).addMapping("/api/v1/notifications", "/api/v1/notifications/*");
    // "/static/" itself: Jetty's default servlet would list the folder; asked for directly, the error page is a 404
    context.addServlet("error", new ErrorServlet(views, json)).addMapping("/error", "/static/");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> settings(ServletContext context) {
    Object given = context.getAttribute(SETTINGS_ATTRIBUTE);
    return given == null ? ProcessSettings.read() : Map.copyOf((Map<String, String>) given);
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
  }
}
