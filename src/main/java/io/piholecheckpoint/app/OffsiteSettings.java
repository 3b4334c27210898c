package io.piholecheckpoint.app;

import io.piholecheckpoint.core.destination.DestinationFields;
import io.piholecheckpoint.core.destination.DestinationRules;
import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget.RemoteRetention;
import io.piholecheckpoint.scheduling.Schedules;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Off-site destinations from {@code OFFSITE_<NAME>_*} variables, each validated in full before
 * it is used. As for notifications, a bad setting never stops the app: its destination is
 * disabled and named, with the variable to fix ({@link #disabled()}); backups go on locally.
 *
 * @param disabled destination name → why it is not used
 * @param disabledPlaces destination name → its {@code OFFSITE_<NAME>_URL} as set, for those disabled: shown beside why
 *     (without a password, query or fragment: {@code core.offsite.remote.ConfiguredPlace})
 * @param warnings what is used but deserves a look (a destination that copies plain archives, a stray variable)
 * @param firstRun how long after a start the first off-site run (the queue left by the last process, adoption) waits
 * @param homes the SFTP homes its destinations learn at their connections, for the checks of destinations added in Settings
 */
record OffsiteSettings(List<OffsiteTarget> targets, Map<String, String> disabled, Map<String, String> disabledPlaces, List<String> warnings, Duration staleAfter, Duration firstRun,
                       SftpHomes homes) {
  static final Duration DEFAULT_STALE_AFTER = Duration.ofDays(2);
  /** Settings of all destinations, not of one called STALE or FIRST. */
  private static final Set<String> GLOBAL = Set.of("OFFSITE_STALE_AFTER", "OFFSITE_FIRST_RUN_SECONDS");
  private static final Pattern URL_VARIABLE = Pattern.compile("OFFSITE_([A-Z][A-Z0-9_]*)_URL");
  /** Read by this class for every kind. */
  private static final List<String> COMMON = List.of("URL", "INSTANCES", "MAX_BACKUPS", "MAX_AGE_DAYS", "KEEP_DAILY", "KEEP_WEEKLY",
      "KEEP_MONTHLY", "ENCRYPT", "TIMEOUT_SECONDS");
  /** Handed to the kind's adapter in {@link DestinationConfig#options()}. */
  private static final List<String> KIND_OPTIONS = List.of("ENDPOINT", "REGION", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "PATH_STYLE", "USER",
      "PASSWORD", "PRIVATE_KEY_FILE", "PRIVATE_KEY_PASSPHRASE", "HOST_KEY", "KNOWN_HOSTS_FILE");
  /** Options that may be given as a file's content instead ({@code _FILE}, a Docker secret). */
  static final Set<String> SECRETS = Set.of("SECRET_ACCESS_KEY", "PASSWORD", "PRIVATE_KEY_PASSPHRASE");
  /** Every suffix, longest first, so that PRIVATE_KEY_PASSPHRASE_FILE wins over PASSPHRASE_FILE… and KEY_FILE. */
  private static final List<String> SUFFIXES = Stream.concat(Stream.concat(COMMON.stream(), KIND_OPTIONS.stream()), SECRETS.stream().map(s -> s + "_FILE"))
      .sorted(Comparator.comparingInt(String::length).reversed()).toList();

  /** @param passphraseSet whether BACKUP_ENCRYPTION_PASSPHRASE is set: without it, destinations that encrypt (the default) cannot */
  static OffsiteSettings read(Map<String, String> env, boolean passphraseSet) {
    return read(env, passphraseSet, List.of());
  }

  /**
   * @param ownFolders DATA_DIR and BACKUP_DIR: a file:// destination in one of them is no off-site copy (and
   *     the backup folder's own checks would take its files for stray archives)
   */
  static OffsiteSettings read(Map<String, String> env, boolean passphraseSet, List<Path> ownFolders) {
    return read(env, passphraseSet, ownFolders, new SftpHomes());
  }

  /** @param homes the SFTP homes learned at connections: told the places in use, and told by the SFTP destinations made here */
  static OffsiteSettings read(Map<String, String> env, boolean passphraseSet, List<Path> ownFolders, SftpHomes homes) {
    Set<String> names = names(env);
    List<String> warnings = new ArrayList<>(strays(env.keySet(), names));
    List<OffsiteTarget> targets = new ArrayList<>();
    Map<String, String> disabled = new LinkedHashMap<>();
    Map<String, String> disabledPlaces = new LinkedHashMap<>();
    // the places are judged together: two destinations at one place are both off, whichever sorts first (the one that worked must not
    // be switched off by a new one, and which of them was meant is not ours to guess)
    Map<String, DestinationPlace> places = new LinkedHashMap<>();
    for (String name : names) {
      try {
        places.put(name, place(env, name, ownFolders, Map.of(), homes));
      } catch (IllegalArgumentException | AppConfig.ConfigException e) {
        // said below, with the destination's other problems: it holds no place
      }
    }
    for (String name : names) {
      // every setting of the destination is read, so that one message names all that is wrong, not the first of them
      Set<String> problems = new LinkedHashSet<>();
      OffsiteTarget target = checked(problems, () -> target(env, name, passphraseSet, true, homes, ownFolders), null);
      boolean isUrl = checked(new LinkedHashSet<>(), () -> url(env, "OFFSITE_" + name + "_URL"), null) != null; // else target() said so
      Map<String, DestinationPlace> others = new LinkedHashMap<>(places);
      others.remove(name);
      DestinationPlace place = isUrl ? checked(problems, () -> place(env, name, ownFolders, others, homes), null) : null;
      if (!problems.isEmpty()) {
        if (target != null) {
          target.destination().close();
        }
        disabled.put(name, String.join("; ", problems));
        disabledPlaces.put(name, Settings.value(env, "OFFSITE_" + name + "_URL", ""));
        continue;
      }
      homes.placed(target.destination(), place, "OFFSITE_" + name + "_URL");
      if (passphraseSet && !Settings.flag(env, "OFFSITE_" + name + "_ENCRYPT", true)) {
        warnings.add("OFFSITE_" + name + "_ENCRYPT=false changes nothing while BACKUP_ENCRYPTION_PASSPHRASE is set: archives are stored"
            + " encrypted and every copy to " + target.destination().describe() + " leaves encrypted");
      }
      if (!target.encrypt()) {
        warnings.add("OFFSITE_" + name + "_ENCRYPT=false: archives, which hold password hashes, are copied to " + target.destination().describe()
            + " unencrypted");
      }
      targets.add(target);
    }
    Duration staleAfter = DEFAULT_STALE_AFTER;
    try {
      staleAfter = Settings.duration(env, "OFFSITE_STALE_AFTER").orElse(DEFAULT_STALE_AFTER);
    } catch (AppConfig.ConfigException e) {
      warnings.add(e.getMessage() + "; using 2d");
    }
    Duration firstRun = Schedules.OFFSITE_FIRST;
    try {
      firstRun = Duration.ofSeconds(Settings.number(env, "OFFSITE_FIRST_RUN_SECONDS", (int) Schedules.OFFSITE_FIRST.toSeconds(), 0, 3600));
    } catch (AppConfig.ConfigException e) {
      warnings.add(e.getMessage() + "; using " + Schedules.OFFSITE_FIRST.toSeconds());
    }
    return new OffsiteSettings(targets, disabled, disabledPlaces, warnings, staleAfter, firstRun, homes);
  }

  /** The {@code <NAME>} of every destination the environment configures (a non-empty {@code OFFSITE_<NAME>_URL}). */
  static Set<String> names(Map<String, String> env) {
    Set<String> names = new TreeSet<>();
    env.keySet().forEach(k -> {
      Matcher m = URL_VARIABLE.matcher(k);
      if (m.matches() && !Settings.value(env, k, "").isEmpty()) {
        names.add(m.group(1));
      }
    });
    return names;
  }

  /**
   * The destinations added in Settings, through the same rules as those of the environment: each
   * one's settings by suffix stand for its {@code OFFSITE_<NAME>_*} variables, checked in order
   * against the places of the environment's destinations and of those before it. A name of the
   * environment's is refused. Messages name the API's fields ({@code url}, {@code privateKey}),
   * not variables.
   */
  static DestinationRules.Resolved readManaged(Map<String, String> env, boolean passphraseSet, List<Path> ownFolders,
                                               List<DestinationRules.Plain> managed, SftpHomes homes) {
    Set<String> environment = names(env);
    Map<String, DestinationPlace> places = new LinkedHashMap<>();
    for (String name : environment) {
      try {
        places.put(name, place(env, name, ownFolders, places, homes));
      } catch (IllegalArgumentException | AppConfig.ConfigException e) {
        // disabled at start, and said so there: it holds no place
      }
    }
    List<OffsiteTarget> targets = new ArrayList<>();
    Map<String, String> disabled = new LinkedHashMap<>();
    for (DestinationRules.Plain destination : managed) {
      String name = destination.name();
      Map<String, String> variables = new HashMap<>();
      destination.settings().forEach((suffix, value) -> variables.put("OFFSITE_" + name + "_" + suffix, value));
      if (environment.contains(name)) {
        // said with the variable: the message is about the environment's destination, not a field of this one
        disabled.put(name, "OFFSITE_" + name + "_URL configures a destination named " + name + " in the environment, which is used instead of "
            + "this one (the environment wins; its copies are filed under the name): delete this one here, or add it again under another name");
        continue;
      }
      try {
        DestinationPlace place = place(variables, name, ownFolders, places, homes);
        OffsiteTarget target = target(variables, name, passphraseSet, false, homes, ownFolders);
        places.put(name, place);
        homes.placed(target.destination(), place, "destination " + name + " (added in Settings)");
        targets.add(target);
      } catch (IllegalArgumentException | AppConfig.ConfigException e) {
        disabled.put(name, addedHere(fields(e.getMessage(), name), places.keySet(), environment));
      }
    }
    return new DestinationRules.Resolved(targets, disabled);
  }

  /** {@code OFFSITE_NAS2_URL} → {@code destination NAS2 (added in Settings)}: another destination is named as it was configured. */
  private static String addedHere(String message, Set<String> others, Set<String> environment) {
    String named = message;
    for (String other : others) {
      if (!environment.contains(other)) {
        named = named.replace("OFFSITE_" + other + "_URL", "destination " + other + " (added in Settings)");
      }
    }
    return named;
  }

  /** {@code OFFSITE_NAS_PRIVATE_KEY_PASSPHRASE} → {@code privateKeyPassphrase}: the field of the form and the API. */
  private static String fields(String message, String name) {
    Matcher m = Pattern.compile("OFFSITE_" + Pattern.quote(name) + "_([A-Z][A-Z_]*[A-Z])").matcher(message);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(field(m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * The field of the form and the API that does what a variable's suffix does, for a destination
   * added in Settings: there a file of this machine is no setting, its content is ({@code
   * PRIVATE_KEY_FILE} → {@code privateKey}, {@code PASSWORD_FILE} → {@code password}), and a host key
   * is pinned by its fingerprint ({@code KNOWN_HOSTS_FILE} → {@code hostKey}).
   */
  static String field(String suffix) {
    if (suffix.equals("KNOWN_HOSTS_FILE")) {
      return DestinationFields.field("HOST_KEY");
    }
    return DestinationFields.field(suffix.endsWith("_FILE") ? suffix.substring(0, suffix.length() - "_FILE".length()) : suffix);
  }

  /**
   * Where a destination writes, as one comparable string (kind, server, folder), refused when it is
   * the place of another destination or inside it (or around it): each one's retention would delete
   * the other's copies, which the other would go on calling verified.
   */
  private static DestinationPlace place(Map<String, String> env, String name, List<Path> ownFolders, Map<String, DestinationPlace> others,
                                        SftpHomes homes) {
    String variable = "OFFSITE_" + name + "_URL";
    URI url = url(env, variable);
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("file") && url.getPath() != null && !url.getPath().isEmpty()) {
      Path folder = Path.of(url.getPath());
      for (Path own : ownFolders) {
        if (DestinationPlace.overlaps(folder, own)) {
          throw new IllegalArgumentException(variable + " is in (or around) " + DestinationPlace.realPath(own) + ", Pi-hole Checkpoint's own "
              + "folder (links followed): a copy there is on the same disk and is no off-site copy. Point it at another disk or a mounted share");
        }
      }
    }
    DestinationPlace place = DestinationPlace.of(url, Settings.value(env, "OFFSITE_" + name + "_ENDPOINT", ""), variable, homes);
    for (Map.Entry<String, DestinationPlace> other : others.entrySet()) {
      if (place.overlaps(other.getValue())) {
        throw new IllegalArgumentException(variable + " is the place of OFFSITE_" + other.getKey() + "_URL, or inside it or around it: the retention "
            + "of each would delete the other's copies. Give each destination a folder (or prefix) of its own");
      }
    }
    return place;
  }

  /** The value read, or {@code fallback} with what is wrong added to {@code problems}. */
  private static <T> T checked(Set<String> problems, Supplier<T> reading, T fallback) {
    try {
      return reading.get();
    } catch (IllegalArgumentException | AppConfig.ConfigException e) {
      problems.add(e.getMessage());
      return fallback;
    }
  }

  /**
   * @param environment whether the settings are the environment's variables; else a destination's added in Settings, which has a
   *     private key pasted (read as it is, beside {@link #KIND_OPTIONS}) and whose adapter names the fields of the form and the API in
   *     what it says later (a host key that does not match at a Test, a plain http WebDAV), not variables that do not exist
   * @throws IllegalArgumentException naming every setting of the destination that is wrong
   */
  private static OffsiteTarget target(Map<String, String> env, String name, boolean passphraseSet, boolean environment, SftpHomes homes,
      List<Path> ownFolders) {
    String prefix = "OFFSITE_" + name + "_";
    List<String> plainOptions = environment ? List.of() : List.of("PRIVATE_KEY");
    Set<String> problems = new LinkedHashSet<>();
    // the URL first: a wrong URL is the first thing to fix
    URI url = checked(problems, () -> url(env, prefix + "URL"), null);
    // with a passphrase archives are stored encrypted and copied as stored: _ENCRYPT=false cannot make a copy plain, and says so
    boolean encrypt = checked(problems, () -> Settings.flag(env, prefix + "ENCRYPT", true), true) || passphraseSet;
    RemoteRetention retention = new RemoteRetention(checked(problems, () -> count(env, prefix + "MAX_BACKUPS"), null),
        checked(problems, () -> count(env, prefix + "MAX_AGE_DAYS"), null), checked(problems, () -> count(env, prefix + "KEEP_DAILY"), null),
        checked(problems, () -> count(env, prefix + "KEEP_WEEKLY"), null), checked(problems, () -> count(env, prefix + "KEEP_MONTHLY"), null));
    Duration timeout = Duration.ofSeconds(checked(problems, () -> Settings.number(env, prefix + "TIMEOUT_SECONDS",
        (int) DestinationConfig.DEFAULT_TIMEOUT.toSeconds(), 1, 3600), (int) DestinationConfig.DEFAULT_TIMEOUT.toSeconds()));
    Map<String, String> options = new HashMap<>();
    for (String option : KIND_OPTIONS) {
      Optional<String> value = checked(problems, () -> SECRETS.contains(option) ? Settings.secret(env, prefix + option)
          : Optional.of(Settings.value(env, prefix + option, "")), Optional.empty());
      value.filter(v -> !v.isBlank()).ifPresent(v -> options.put(option, v));
    }
    plainOptions.forEach(option -> Optional.ofNullable(env.get(prefix + option)).filter(v -> !v.isBlank()).ifPresent(v -> options.put(option, v)));
    if (url != null) {
      problems.addAll(DestinationBounds.problems(prefix, url, env.getOrDefault(prefix + "INSTANCES", ""), options, environment));
    }
    if (encrypt && !passphraseSet) {
      problems.add(prefix + "ENCRYPT is on (the default), but no BACKUP_ENCRYPTION_PASSPHRASE is set: archives hold "
          + "password hashes and leave this machine only encrypted. Set BACKUP_ENCRYPTION_PASSPHRASE, or " + prefix
          + "ENCRYPT=false to copy them plain on purpose");
    }
    DestinationConfig config = environment ? new DestinationConfig(name, url, options, timeout)
        : new DestinationConfig(name, url, options, timeout, OffsiteSettings::field);
    Destination destination = url == null ? null : checked(problems, () -> DestinationKinds.open(config, homes, ownFolders), null);
    if (!problems.isEmpty()) {
      if (destination != null) {
        destination.close();
      }
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    List<String> instances = List.of(Settings.value(env, prefix + "INSTANCES", "").split(","));
    // an entry that is the environment's PIHOLE_<P>_ prefix means that Pi-hole, even when it gave way to one of that name
    return new OffsiteTarget(name, destination, instances, retention, encrypt, environment ? EnvironmentInstances.prefixes(env) : Set.of());
  }

  private static URI url(Map<String, String> env, String variable) {
    String value = Settings.value(env, variable, "");
    if (value.length() > DestinationBounds.MAX_URL) {
      throw new IllegalArgumentException(variable + " is " + value.length() + " characters long; a destination's URL is at most "
          + DestinationBounds.MAX_URL);
    }
    try {
      URI url = new URI(value);
      if (url.getRawAuthority() != null && !url.getRawAuthority().chars().allMatch(c -> c < 128)) {
        // java.net.URI takes a full-width port for a host name and gives no port: the default port would be used in silence
        throw new IllegalArgumentException(variable + " must write its host and port in plain ASCII (digits 0-9; a host name in its"
            + " xn-- form)");
      }
      return url;
    } catch (URISyntaxException e) {
      // the value may hold a password (user:secret@host): the message names the variable only
      throw new IllegalArgumentException(variable + " is not a URL (" + e.getReason() + "); write it as file:///mnt/nas/checkpoint, "
          + "s3://bucket/prefix, sftp://user@host:22/path or webdav+https://host/path");
    }
  }

  private static Integer count(Map<String, String> env, String variable) {
    return Settings.value(env, variable, "").isEmpty() ? null : Settings.number(env, variable, 0, 0, 100_000);
  }

  /** OFFSITE_* variables that configure nothing: a typo or a setting of a destination without _URL. */
  private static List<String> strays(Set<String> keys, Set<String> names) {
    List<String> strays = new ArrayList<>();
    keys.stream().filter(k -> k.startsWith("OFFSITE_") && !GLOBAL.contains(k)).sorted().forEach(key -> {
      String suffix = SUFFIXES.stream().filter(s -> key.endsWith("_" + s) && key.length() > "OFFSITE_".length() + s.length() + 1).findFirst()
          .orElse(null);
      if (suffix == null) {
        strays.add(key + " is not a setting of Pi-hole Checkpoint (see OFFSITE_<NAME>_… in the README); it is ignored");
      } else if (!names.contains(key.substring("OFFSITE_".length(), key.length() - suffix.length() - 1))) {
        String name = key.substring("OFFSITE_".length(), key.length() - suffix.length() - 1);
        if (!URL_VARIABLE.matcher("OFFSITE_" + name + "_URL").matches()) {
          strays.add(key + " is ignored: a destination's <NAME> is upper-case letters, digits and _ (OFFSITE_NAS_URL)");
        } else if (keys.contains("OFFSITE_" + name + "_URL")) {
          strays.add(key + " is ignored: OFFSITE_" + name + "_URL is empty, which turns that destination off");
        } else {
          strays.add(key + " belongs to no destination: there is no OFFSITE_" + name + "_URL; it is ignored");
        }
      }
    });
    return strays;
  }
}
