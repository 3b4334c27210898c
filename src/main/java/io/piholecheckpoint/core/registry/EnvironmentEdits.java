package io.piholecheckpoint.core.registry;

import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.settings.InstanceForm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Which variables a form would change on an environment instance. Its settings belong to its
 * PIHOLE_&lt;PREFIX&gt;_* variables; only the active switch can change here, so a change of
 * anything else is refused by naming the variables to edit instead.
 */
public final class EnvironmentEdits {
  private static final Map<String, Function<InstanceForm, String>> FIELDS = new LinkedHashMap<>();

  static {
    FIELDS.put("NAME", InstanceForm::name);
    FIELDS.put("URL", InstanceForm::url);
    FIELDS.put("VERIFY_SSL/CA_FILE/TLS_FINGERPRINT", f -> lower(f.tlsMode()));
    FIELDS.put("CA_FILE", InstanceForm::caPem);
    FIELDS.put("TLS_FINGERPRINT", InstanceForm::fingerprint);
    FIELDS.put("TIMEOUT_SECONDS", InstanceForm::timeoutSeconds);
    FIELDS.put("SCHEDULE", f -> lower(f.scheduleKind()));
    FIELDS.put("TIME", InstanceForm::time);
    FIELDS.put("DAY", f -> lower(f.day()));
    FIELDS.put("CRON", InstanceForm::cron);
    FIELDS.put("MAX_BACKUPS", InstanceForm::maxBackups);
    FIELDS.put("MAX_AGE_DAYS", InstanceForm::maxAgeDays);
    FIELDS.put("KEEP_DAILY", InstanceForm::keepDaily);
    FIELDS.put("KEEP_WEEKLY", InstanceForm::keepWeekly);
    FIELDS.put("KEEP_MONTHLY", InstanceForm::keepMonthly);
    FIELDS.put("SKIP_UNCHANGED", f -> Boolean.toString(f.skipUnchanged()));
  }

  private EnvironmentEdits() {
  }

  /** The full names of the variables the form changes; empty when it changes only the active switch. */
  public static List<String> variablesChanged(PiholeInstance instance, InstanceForm form) {
    InstanceForm stored = InstanceForm.of(instance);
    List<String> changed = new ArrayList<>();
    FIELDS.forEach((variable, field) -> {
      if (!Objects.equals(trim(field.apply(stored)), trim(field.apply(form)))) {
        changed.add(instance.settingsPrefix() + variable);
      }
    });
    if (form.password() != null) {
      changed.add(instance.settingsPrefix() + "PASSWORD");
    }
    if (form.totpSecret() != null) {
      changed.add(instance.settingsPrefix() + "TOTP_SECRET");
    }
    return changed;
  }

  private static String lower(String value) {
    return value == null ? null : value.toLowerCase(java.util.Locale.ROOT);
  }

  private static String trim(String value) {
    return value == null ? "" : value.trim();
  }
}
