package io.piholecheckpoint.core.instance;

import io.piholecheckpoint.core.schedule.Schedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** An instance as the environment describes it, before it is stored. */
public record InstanceDefinition(
    String envPrefix,
    String name,
    String url,
    TlsTrust tls,
    Integer timeoutSeconds,
    Schedule schedule,
    RetentionPolicy retention,
    boolean skipUnchanged,
    boolean active) {

  /**
   * Whether {@code stored} is this definition as a start stored it, present and read back whole (a row that could not be
   * read, or was marked removed, is not): storing it again would change nothing.
   */
  public boolean storedAs(PiholeInstance stored) {
    return stored != null && stored.fromEnvironment() && !stored.removed() && stored.problem() == null
        && equals(new InstanceDefinition(stored.envPrefix(), stored.name(), stored.url(), stored.tls(), stored.timeoutSeconds(),
            stored.schedule(), stored.retention(), stored.skipUnchanged(), stored.active()));
  }

  /**
   * Which of this definition's settings {@code stored} has otherwise, by the variables that set them ({@code URL},
   * {@code schedule (SCHEDULE, TIME, DAY)}, …): a standby names them without their values, which may be anyone's to read.
   */
  public List<String> differencesFrom(PiholeInstance stored) {
    List<String> differ = new ArrayList<>();
    if (!Objects.equals(name, stored.name())) {
      differ.add("NAME");
    }
    if (!Objects.equals(url, stored.url())) {
      differ.add("URL");
    }
    if (!Objects.equals(tls, stored.tls())) {
      differ.add("TLS (VERIFY_SSL, TLS_FINGERPRINT, CA_FILE)");
    }
    if (!Objects.equals(timeoutSeconds, stored.timeoutSeconds())) {
      differ.add("TIMEOUT_SECONDS");
    }
    if (!Objects.equals(schedule, stored.schedule())) {
      differ.add("schedule (SCHEDULE, TIME, DAY)");
    }
    if (!Objects.equals(retention, stored.retention())) {
      differ.add("retention (MAX_BACKUPS, MAX_AGE_DAYS, KEEP_*)");
    }
    if (skipUnchanged != stored.skipUnchanged()) {
      differ.add("SKIP_UNCHANGED");
    }
    if (active != stored.active()) {
      differ.add("ACTIVE");
    }
    return differ;
  }
}
