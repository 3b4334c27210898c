package io.piholecheckpoint.core.registry;

import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.schedule.FireTimes;
import io.piholecheckpoint.core.settings.InstanceForm;
import io.piholecheckpoint.core.settings.ValidationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An edit of an instance whose stored settings break a rule already (a cron whose last fire has passed, a hand-edited row) is
 * judged by what it changes. A field it leaves as stored keeps its stored value, and the instance its mark (misconfigured),
 * without refusing the edit: parking it ({@code active:false}) or changing its retention needs no new cron first. A field it
 * changes must be valid, and a problem the stored instance did not have (an address changed to http:// under a pinned
 * certificate) refuses it, as any edit.
 */
final class StoredFaults {
  /** Fields read together into one setting: one of them changed is the setting changed. */
  private static final List<Set<String>> TOGETHER = List.of(Set.of("tlsMode", "caPem", "fingerprint"),
      Set.of("scheduleKind", "time", "day", "cron"));

  private StoredFaults() {
  }

  /** @throws ValidationException naming each field the edit changes to a value a rule refuses, and nothing else */
  static InstanceForm.Valid validate(InstanceForm edit, PiholeInstance stored, FireTimes fireTimes) {
    InstanceForm.Checked checked = edit.check(fireTimes);
    if (checked.errors().isEmpty()) {
      return checked.valid();
    }
    InstanceForm before = InstanceForm.of(stored);
    Map<String, String> storedErrors = before.check(fireTimes).errors();
    Map<String, String> refused = new LinkedHashMap<>();
    checked.errors().forEach((field, why) -> {
      if (!why.equals(storedErrors.get(field)) || !together(field).stream().allMatch(f -> same(text(edit, f), text(before, f)))) {
        refused.put(field, why);
      }
    });
    if (!refused.isEmpty()) {
      throw new ValidationException(refused);
    }
    return new InstanceForm.Valid(kept(checked.valid().settings(), stored, checked.errors().keySet()), checked.valid().password(),
        checked.valid().totpSecret());
  }

  private static Set<String> together(String field) {
    return TOGETHER.stream().filter(s -> s.contains(field)).findFirst().orElse(Set.of(field));
  }

  /** The edit's settings with the stored value of each setting whose problem it left as it was (the edit's is a stand-in). */
  private static InstanceDefinition kept(InstanceDefinition edited, PiholeInstance stored, Set<String> left) {
    RetentionPolicy e = edited.retention();
    RetentionPolicy s = stored.retention();
    boolean tls = left.stream().anyMatch(TOGETHER.get(0)::contains);
    boolean schedule = left.stream().anyMatch(TOGETHER.get(1)::contains);
    return new InstanceDefinition(edited.envPrefix(), left.contains("name") ? stored.name() : edited.name(),
        left.contains("url") ? stored.url() : edited.url(), tls ? stored.tls() : edited.tls(),
        left.contains("timeoutSeconds") ? stored.timeoutSeconds() : edited.timeoutSeconds(), schedule ? stored.schedule() : edited.schedule(),
        new RetentionPolicy(left.contains("maxBackups") ? s.maxBackups() : e.maxBackups(), left.contains("maxAgeDays") ? s.maxAgeDays()
            : e.maxAgeDays(), left.contains("keepDaily") ? s.keepDaily() : e.keepDaily(), left.contains("keepWeekly") ? s.keepWeekly()
            : e.keepWeekly(), left.contains("keepMonthly") ? s.keepMonthly() : e.keepMonthly()), edited.skipUnchanged(), edited.active());
  }

  private static boolean same(String a, String b) {
    return Objects.equals(a == null ? "" : a.trim(), b == null ? "" : b.trim());
  }

  /** A field's text by its name in the form and the API; a secret (never stored in a form) has none to compare. */
  private static String text(InstanceForm form, String field) {
    return switch (field) {
      case "name" -> form.name();
      case "url" -> form.url();
      case "tlsMode" -> form.tlsMode();
      case "caPem" -> form.caPem();
      case "fingerprint" -> form.fingerprint();
      case "timeoutSeconds" -> form.timeoutSeconds();
      case "scheduleKind" -> form.scheduleKind();
      case "time" -> form.time();
      case "day" -> form.day();
      case "cron" -> form.cron();
      case "maxBackups" -> form.maxBackups();
      case "maxAgeDays" -> form.maxAgeDays();
      case "keepDaily" -> form.keepDaily();
      case "keepWeekly" -> form.keepWeekly();
      case "keepMonthly" -> form.keepMonthly();
      default -> throw new IllegalArgumentException("no stored value to compare for the field " + field);
    };
  }
}
