package io.piholecheckpoint.core.settings;

import io.piholecheckpoint.core.instance.InstanceDefaults;
import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.InstanceNames;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.schedule.FireTimes;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.core.units.UrlText;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One instance's {@code PIHOLE_<PREFIX>_*} variables checked by the same {@link InstanceSettings}
 * fields and {@link InstanceRules} as the API and the form. A bad value never drops an instance or
 * stops the start: the field keeps its default and a problem naming the variable is reported. A
 * bad URL has no default: the instance is kept, and marked with the problem when it is checked.
 */
public final class EnvironmentSettings {
  private final InstanceVariables variables;
  private final FireTimes fireTimes;
  private final InstanceDefaults defaults;
  private final List<String> problems = new ArrayList<>();

  /** The definition, and one readable line per value that could not be used. */
  public record Read(InstanceDefinition definition, List<String> problems) {
  }

  private EnvironmentSettings(InstanceVariables variables, FireTimes fireTimes, InstanceDefaults defaults) {
    this.variables = variables;
    this.fireTimes = fireTimes;
    this.defaults = defaults;
  }

  /** @param fireTimes when a schedule fires, as the scheduler computes it */
  public static Read check(InstanceVariables variables, FireTimes fireTimes) {
    return check(variables, fireTimes, InstanceDefaults.STANDARD);
  }

  /**
   * @param defaults the schedule and retention of the variables left unset (those an instance had in
   *     Pi-hole Checkpoint 1.x, when it was carried over); a variable that is set wins
   */
  public static Read check(InstanceVariables variables, FireTimes fireTimes, InstanceDefaults defaults) {
    EnvironmentSettings settings = new EnvironmentSettings(variables, fireTimes, defaults);
    InstanceDefinition definition = settings.definition();
    return new Read(definition, List.copyOf(settings.problems));
  }

  private InstanceDefinition definition() {
    String given = InstanceRules.normalUrl(value("URL").trim().replaceAll("/+$", ""));
    // a password in the URL is never stored, shown or logged: the address keeps its user-info, query and fragment replaced
    // by ***, which the URL rule still refuses, so the instance stays marked until the variable is fixed
    String url = UrlText.masked(given);
    String hidden = url.equals(given) ? "" : " (The part that reads *** here is not stored or shown; put the password in "
        + variable("PASSWORD") + ".)";
    InstanceRules.url(url).ifPresent(p -> problems.add("%s='%s': %s%s Its backups do not run until it is fixed".formatted(variable("URL"), url, p,
        hidden)));
    String defaultName = InstanceSettings.defaultName(variables.prefix());
    String rawName = value("NAME");
    // the name rule's own words (a mixed script, an invisible character, bytes lost in decoding), as the API gives them
    Optional<String> nameProblem = rawName.isBlank() ? Optional.empty() : InstanceNames.problem(rawName);
    nameProblem.ifPresent(p -> problems.add("%s='%s': %s Using '%s'.".formatted(variable("NAME"), rawName, p, defaultName)));
    String name = nameProblem.isPresent() ? defaultName : parsed(InstanceSettings.NAME, defaultName, "'" + defaultName + "'");
    if (value("PASSWORD").indexOf('\uFFFD') >= 0) {
      // never shown: only that bytes of it were lost, which no Pi-hole password holds, so sign-in would fail
      problems.add(("%s holds U+FFFD, the replacement character: some of its bytes were not valid text in the character set this process"
          + " reads its environment with, so sign-in will fail. Write it in UTF-8 and start the server with a UTF-8 locale (e.g."
          + " LANG=C.UTF-8).").formatted(variable("PASSWORD")));
    }
    if (!value("TOTP_SECRET").isBlank()) {
      // the secret itself is never quoted: only what is wrong with it
      InstanceRules.totpSecret(value("TOTP_SECRET")).ifPresent(p -> problems.add("%s (not shown here): %s Sign-in will fail until it is fixed."
          .formatted(variable("TOTP_SECRET"), p)));
    }
    // the pings skip one refused here (its default is none); its path is the check's token, never quoted
    UrlText.problem(variable("PING_URL"), value("PING_URL"), "No dead-man pings are sent until it is fixed").ifPresent(problems::add);
    RetentionPolicy d = defaults.retention();
    RetentionPolicy retention = new RetentionPolicy(parsed(InstanceSettings.MAX_BACKUPS, d.maxBackups()),
        parsed(InstanceSettings.MAX_AGE_DAYS, d.maxAgeDays()), parsed(InstanceSettings.KEEP_DAILY, 0), parsed(InstanceSettings.KEEP_WEEKLY, 0),
        parsed(InstanceSettings.KEEP_MONTHLY, 0));
    return new InstanceDefinition(variables.prefix(), name, url, tls(url), timeout(), schedule(), retention,
        parsed(InstanceSettings.SKIP_UNCHANGED, false), parsed(InstanceSettings.ACTIVE, true));
  }

  private TlsTrust tls(String url) {
    boolean verify = parsed(InstanceSettings.VERIFY_SSL, true);
    String fingerprint = value("TLS_FINGERPRINT");
    String caFile = value("CA_FILE");
    TlsTrust trust = TlsTrust.of(verify, variables.values().get("CA_FILE"), null);
    if (!fingerprint.isBlank()) {
      Optional<TlsTrust> pinned = InstanceSettings.TLS_FINGERPRINT.read(fingerprint);
      // a pin that cannot be read stays a pin (marked, not contacted), never a weaker trust that accepts what it would refuse
      trust = pinned.orElse(TlsTrust.UNREAD_PIN);
      if (pinned.isEmpty()) {
        problems.add(TlsTrust.unreadPin(variable("TLS_FINGERPRINT") + "='" + fingerprint + "'") + " until it is fixed");
      }
    }
    // a URL the rules refuse is named as such already; a CA file's own problem is beside the point while no TLS is spoken
    Optional<String> plain = trust.overHttp(InstanceRules.url(url).isPresent() ? null : url);
    if (plain.isPresent()) {
      String set = variable(trust.mode() == TlsTrust.Mode.FINGERPRINT ? "TLS_FINGERPRINT" : "CA_FILE");
      problems.add("%s is set but %s='%s' is no https:// address: %s. Its backups do not run until it is fixed".formatted(set, variable("URL"), url,
          plain.get()));
    } else if (!caFile.isBlank() && trust.fingerprint() == null) {
      Optional<String> problem = variables.caFileText().isEmpty() ? Optional.of("is not a readable file")
          : InstanceRules.caPem(variables.caFileText().get()).map(p -> "does not hold a CA certificate: " + p);
      problem.ifPresent(p -> problems.add(variable("CA_FILE") + "='" + caFile + "' " + p + "; backups of this instance will fail until it is fixed"));
    }
    return trust;
  }

  private Integer timeout() {
    if (value("TIMEOUT_SECONDS").isBlank()) {
      return null;
    }
    int seconds = parsed(InstanceSettings.TIMEOUT_SECONDS, 0, "PIHOLE_TIMEOUT_SECONDS");
    return seconds == 0 ? null : seconds;
  }

  private Schedule schedule() {
    Schedule d = defaults.schedule();
    LocalTime time = parsed(InstanceSettings.TIME, d.time());
    Schedule.Kind kind = parsed(InstanceSettings.SCHEDULE, d.kind());
    String rawDay = value("DAY").trim();
    DayOfWeek day = rawDay.equals("0") ? d.day() : parsed(InstanceSettings.DAY, d.day());
    if (kind == Schedule.Kind.WEEKLY && rawDay.matches("[0-6]")) {
      problems.add(countedFromZero(rawDay, day));
    }
    String cron = variables.values().get("CRON");
    ignoredUnless(kind, Schedule.Kind.CRON, "CRON");
    ignoredUnless(kind, Schedule.Kind.WEEKLY, "DAY");
    ignoredUnless(kind, kind == Schedule.Kind.CRON ? Schedule.Kind.DAILY : kind, "TIME"); // hourly, daily and weekly read it
    if (kind == Schedule.Kind.CRON && (cron == null || cron.isBlank())) {
      problems.add(variable("SCHEDULE") + "=cron needs " + variable("CRON") + "; using the default daily schedule");
      return new Schedule(d.kind(), time, day, null);
    }
    Optional<String> tooLong = kind == Schedule.Kind.CRON ? InstanceRules.cronText(cron) : Optional.empty();
    if (tooLong.isPresent()) {
      // not echoed: the value is what is wrong, and a log line of kilobytes helps nobody
      problems.add(variable("CRON") + ": " + sentence(tooLong.get()) + " " + defaultUsed());
      return new Schedule(d.kind(), time, day, null);
    }
    Schedule schedule = new Schedule(kind, time, day, cron == null ? null : cron.trim());
    // one that fires too often is kept as written: the instance shows as misconfigured (InstanceRules.problemOf), with the
    // rule's words, and is not scheduled until the variable is fixed, rather than backed up on a schedule nobody chose
    Optional<String> problem = InstanceRules.firesAgain(schedule, fireTimes);
    if (problem.isPresent()) {
      problems.add("%s='%s': %s %s".formatted(variable(kind == Schedule.Kind.CRON ? "CRON" : "SCHEDULE"),
          kind == Schedule.Kind.CRON ? cron : kind, sentence(problem.get()), defaultUsed()));
      return new Schedule(d.kind(), time, day, null);
    }
    return schedule;
  }

  /** "Using the default daily schedule", or the schedule the instance had in Pi-hole Checkpoint 1.x. */
  private String defaultUsed() {
    String kind = defaults.schedule().kind().name().toLowerCase(Locale.ROOT);
    return defaults.equals(InstanceDefaults.STANDARD) ? "Using the default " + kind + " schedule"
        : "Using the " + kind + " schedule it had in Pi-hole Checkpoint 1.x";
  }

  /** A rule's text ends its own sentence, so that what follows starts one of its own. */
  private static String sentence(String text) {
    return text.endsWith(".") ? text : text + ".";
  }

  /** A schedule setting of another kind than the one chosen would be ignored in silence: say so (once per variable). */
  private void ignoredUnless(Schedule.Kind kind, Schedule.Kind needed, String field) {
    boolean named = problems.stream().anyMatch(p -> p.startsWith(variable(field) + "="));
    if (kind != needed && !value(field).isBlank() && !named) {
      problems.add("%s is set, but %s is %s, so it is ignored; set %s=%s to use it".formatted(variable(field), variable("SCHEDULE"),
          kind.name().toLowerCase(Locale.ROOT), variable("SCHEDULE"), needed.name().toLowerCase(Locale.ROOT)));
    }
  }

  /**
   * Pi-hole Checkpoint 1.x counted weekdays from 0 = Monday, we from 1 = Monday (as ISO does): a 1.x
   * compose file's number means the day before here, so the number is read our way and the shift said.
   */
  private String countedFromZero(String raw, DayOfWeek read) {
    DayOfWeek theirs = DayOfWeek.of(Integer.parseInt(raw) + 1);
    String name = theirs.name().toLowerCase(Locale.ROOT);
    if (raw.equals("0")) {
      return "%s=0 is not a weekday here (1 = Monday … 7 = Sunday); Pi-hole Checkpoint 1.x read it as %s (0 = Monday), using %s: write %s=%s"
          .formatted(variable("DAY"), name, read.name().toLowerCase(Locale.ROOT), variable("DAY"), name);
    }
    return "%s=%s is read as %s (1 = Monday); Pi-hole Checkpoint 1.x read it as %s (0 = Monday): write the day's name, %s=%s or %s=%s"
        .formatted(variable("DAY"), raw, read.name().toLowerCase(Locale.ROOT), name, variable("DAY"), read.name().toLowerCase(Locale.ROOT),
            variable("DAY"), name);
  }

  private <T> T parsed(InstanceSettings.Field<T> field, T fallback) {
    return parsed(field, fallback, fallback.toString().toLowerCase(Locale.ROOT));
  }

  /** The field's value, or {@code fallback} when unset or unreadable; the latter is reported. */
  private <T> T parsed(InstanceSettings.Field<T> field, T fallback, String fallbackText) {
    String raw = value(field.variable());
    if (raw.isBlank()) {
      return fallback;
    }
    Optional<T> value = field.read(raw);
    if (value.isEmpty()) {
      problems.add("%s='%s' is not %s; using %s".formatted(variable(field.variable()), raw, field.expected(), fallbackText));
    }
    return value.orElse(fallback);
  }

  private String value(String suffix) {
    return variables.value(suffix);
  }

  private String variable(String suffix) {
    return variables.variable(suffix);
  }
}
