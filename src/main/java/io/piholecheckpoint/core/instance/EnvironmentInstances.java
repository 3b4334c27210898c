package io.piholecheckpoint.core.instance;

import io.piholecheckpoint.core.schedule.FireTimes;
import io.piholecheckpoint.core.schedule.Schedule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads {@code PIHOLE_<PREFIX>_*} variables into instance definitions, by the same
 * {@link InstanceRules} as the API and the form. A bad value never drops an instance or stops
 * the start: the field keeps its default and a problem naming the variable is reported. A bad
 * URL has no default: the instance is stored, and marked with the problem when it is checked.
 */
public final class EnvironmentInstances {
  private static final Pattern URL_VARIABLE = Pattern.compile("PIHOLE_([A-Z][A-Z0-9_]*)_URL");
  /**
   * Per-instance variables that themselves end in {@code _URL}: {@code PIHOLE_HOME_PING_URL} is
   * HOME's dead-man switch, never the URL of an instance "HOME_PING".
   */
  private static final List<String> URL_SETTINGS = List.of("PING");

  /** The definitions found, and one readable line per value that could not be used. */
  public record Result(List<InstanceDefinition> definitions, List<String> problems) {
  }

  private EnvironmentInstances() {
  }

  /** @param fireTimes when a schedule fires, as the scheduler computes it */
  public static Result read(Map<String, String> env, FireTimes fireTimes) {
    List<InstanceDefinition> definitions = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    env.keySet().stream().sorted().forEach(key -> {
      Matcher m = URL_VARIABLE.matcher(key);
      if (m.matches() && URL_SETTINGS.stream().noneMatch(setting -> m.group(1).endsWith("_" + setting))) {
        definitions.add(new Reader(m.group(1), env, problems, fireTimes).definition());
      }
    });
    problems.addAll(StrayVariables.among(env.keySet(),
        definitions.stream().map(InstanceDefinition::envPrefix).collect(Collectors.toSet())));
    return new Result(List.copyOf(definitions), List.copyOf(problems));
  }

  /** "HOME_OFFICE" becomes "Home Office". */
  static String defaultName(String prefix) {
    return Arrays.stream(prefix.toLowerCase(Locale.ROOT).split("_+"))
        .filter(w -> !w.isEmpty())
        .map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1))
        .collect(Collectors.joining(" "));
  }

  private static final class Reader {
    private final String prefix;
    private final Map<String, String> env;
    private final List<String> problems;
    private final FireTimes fireTimes;

    Reader(String prefix, Map<String, String> env, List<String> problems, FireTimes fireTimes) {
      this.prefix = prefix;
      this.env = env;
      this.problems = problems;
      this.fireTimes = fireTimes;
    }

    InstanceDefinition definition() {
      String url = value("URL").trim().replaceAll("/+$", "");
      InstanceRules.url(url).ifPresent(p -> problems.add("%s='%s': %s Its backups do not run until it is fixed".formatted(variable("URL"), url, p)));
      String name = parsed("NAME", defaultName(prefix), n -> {
        InstanceRules.name(n).ifPresent(p -> {
          throw new IllegalArgumentException(p);
        });
        return n.trim();
      }, "a name of 1 to " + InstanceRules.NAME_LENGTH + " printable characters", "'" + defaultName(prefix) + "'");
      if (!value("TOTP_SECRET").isBlank() && !value("TOTP_SECRET").replaceAll("[\\s-]", "").matches("(?i)[A-Z2-7]+=*")) {
        problems.add(variable("TOTP_SECRET") + " is not base32 (letters A–Z and digits 2–7); sign-in will fail until it is fixed");
      }
      RetentionPolicy d = RetentionPolicy.DEFAULT;
      RetentionPolicy retention = new RetentionPolicy(count("MAX_BACKUPS", d.maxBackups()), count("MAX_AGE_DAYS", d.maxAgeDays()),
          count("KEEP_DAILY", 0), count("KEEP_WEEKLY", 0), count("KEEP_MONTHLY", 0));
      return new InstanceDefinition(prefix, name, url, tls(), timeout(), schedule(), retention, flag("SKIP_UNCHANGED", false), flag("ACTIVE", true));
    }

    private TlsTrust tls() {
      boolean verify = flag("VERIFY_SSL", true);
      String fingerprint = env.get(variable("TLS_FINGERPRINT"));
      String caFile = env.get(variable("CA_FILE"));
      if (fingerprint != null && !fingerprint.isBlank()) {
        try {
          return TlsTrust.fingerprint(fingerprint);
        } catch (IllegalArgumentException e) {
          problems.add(variable("TLS_FINGERPRINT") + "='" + fingerprint + "' is not a SHA-256 fingerprint (64 hex digits, colons allowed); it is ignored");
        }
      }
      if (caFile != null && !caFile.isBlank()) {
        caFileProblem(caFile.trim()).ifPresent(p -> problems.add(variable("CA_FILE") + "='" + caFile + "' " + p
            + "; backups of this instance will fail until it is fixed"));
      }
      return TlsTrust.of(verify, caFile, null);
    }

    private static Optional<String> caFileProblem(String file) {
      try {
        return InstanceRules.caPem(Files.readString(Path.of(file), StandardCharsets.US_ASCII)).map(p -> "does not hold a CA certificate: " + p);
      } catch (IOException | RuntimeException e) {
        return Optional.of("is not a readable file");
      }
    }

    private Integer timeout() {
      String raw = env.get(variable("TIMEOUT_SECONDS"));
      if (raw == null || raw.isBlank()) {
        return null;
      }
      int seconds = parsed("TIMEOUT_SECONDS", 0, s -> {
        int n = Integer.parseInt(s.trim());
        if (n < 1 || n > 3600) {
          throw new IllegalArgumentException("out of range");
        }
        return n;
      }, "a number of seconds from 1 to 3600", "PIHOLE_TIMEOUT_SECONDS");
      return seconds == 0 ? null : seconds;
    }

    private Schedule schedule() {
      Schedule d = Schedule.DEFAULT;
      LocalTime time = parsed("TIME", d.time(), EnvironmentValues::time, "a time as HH:MM (24 h)");
      DayOfWeek day = parsed("DAY", d.day(), EnvironmentValues::day, "a weekday (monday … sunday, mon … sun, or 1 … 7 with 1 = Monday)");
      Schedule.Kind kind = parsed("SCHEDULE", d.kind(),
          s -> Schedule.Kind.valueOf(s.trim().toUpperCase(Locale.ROOT)), "one of hourly, daily, weekly, cron");
      String cron = env.get(variable("CRON"));
      ignoredUnless(kind, Schedule.Kind.CRON, "CRON");
      ignoredUnless(kind, Schedule.Kind.WEEKLY, "DAY");
      if (kind == Schedule.Kind.CRON && (cron == null || cron.isBlank())) {
        problems.add(variable("SCHEDULE") + "=cron needs " + variable("CRON") + "; using the default daily schedule");
        return new Schedule(d.kind(), time, day, null);
      }
      Optional<String> tooLong = kind == Schedule.Kind.CRON ? InstanceRules.cronText(cron) : Optional.empty();
      if (tooLong.isPresent()) {
        // not echoed: the value is what is wrong, and a log line of kilobytes helps nobody
        problems.add(variable("CRON") + ": " + tooLong.get() + " Using the default daily schedule");
        return new Schedule(d.kind(), time, day, null);
      }
      Schedule schedule = new Schedule(kind, time, day, cron == null ? null : cron.trim());
      Optional<String> problem = InstanceRules.schedule(schedule, fireTimes);
      if (problem.isPresent()) {
        problems.add("%s='%s': %s Using the default daily schedule".formatted(variable(kind == Schedule.Kind.CRON ? "CRON" : "SCHEDULE"),
            kind == Schedule.Kind.CRON ? cron : kind, problem.get()));
        return new Schedule(d.kind(), time, day, null);
      }
      return schedule;
    }

    /** A schedule setting of another kind than the one chosen would be ignored in silence: say so (once per variable). */
    private void ignoredUnless(Schedule.Kind kind, Schedule.Kind needed, String field) {
      boolean named = problems.stream().anyMatch(p -> p.startsWith(variable(field) + "="));
      if (kind != needed && !value(field).isBlank() && !named) {
        problems.add("%s is set, but %s is %s, so it is ignored; set %s=%s to use it".formatted(variable(field), variable("SCHEDULE"),
            kind.name().toLowerCase(Locale.ROOT), variable("SCHEDULE"), needed.name().toLowerCase(Locale.ROOT)));
      }
    }

    private <T> T parsed(String field, T fallback, Function<String, T> parser, String expected) {
      return parsed(field, fallback, parser, expected, fallback.toString().toLowerCase(Locale.ROOT));
    }

    private <T> T parsed(String field, T fallback, Function<String, T> parser, String expected, String fallbackText) {
      String raw = env.get(variable(field));
      if (raw == null || raw.isBlank()) {
        return fallback;
      }
      try {
        return parser.apply(raw);
      } catch (IllegalArgumentException | DateTimeParseException e) {
        problems.add("%s='%s' is not %s; using %s".formatted(variable(field), raw, expected, fallbackText));
        return fallback;
      }
    }

    private int count(String field, int fallback) {
      return parsed(field, fallback, s -> {
        int n = Integer.parseInt(s.trim());
        if (n < 0 || n > 100_000) {
          throw new IllegalArgumentException("out of range");
        }
        return n;
      }, "a whole number from 0 to 100000 (0 = no limit)");
    }

    private boolean flag(String field, boolean fallback) {
      return parsed(field, fallback, s -> switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "true", "1", "yes", "on" -> true;
        case "false", "0", "no", "off" -> false;
        default -> throw new IllegalArgumentException(s);
      }, "true or false");
    }

    private String value(String field) {
      return env.getOrDefault(variable(field), "");
    }

    private String variable(String field) {
      return "PIHOLE_" + prefix + "_" + field;
    }
  }
}
