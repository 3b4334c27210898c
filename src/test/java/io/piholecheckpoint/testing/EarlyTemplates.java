package io.piholecheckpoint.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Makes the migrated templates of {@link MigratedDatabase} — SQLite's, then the JVM's PostgreSQL cluster (initdb, start) and
 * its template — on a thread of its own as a unit-test JVM starts, while its first classes run: the first test of the JVM
 * to need one waited for all of it, several seconds of each JVM's time in the unit phase (bench/RESULTS.md, "Suite time").
 * Only where the build asks for it ({@code checkpoint.templates.early=true}, which the pom sets for the unit-test JVMs);
 * a failure here is left for the first test that needs the template, which makes it again and reports it.
 */
public final class EarlyTemplates implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    if (!Boolean.getBoolean("checkpoint.templates.early")) {
      return;
    }
    Thread prepare = new Thread(() -> {
      try {
        MigratedDatabase.prepare();
      } catch (Throwable e) {
        // the first test that needs a template makes it on its own thread and fails there, with its name on it
      }
    }, "early-templates");
    prepare.setDaemon(true);
    prepare.start();
  }
}
