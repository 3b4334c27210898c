package io.piholecheckpoint.app;

import io.piholecheckpoint.core.instance.InstanceDefaults;
import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.InstanceNames;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.schedule.FireTimes;
import io.piholecheckpoint.core.settings.EnvironmentSettings;
import io.piholecheckpoint.core.settings.InstanceVariables;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Finds the instances in {@code PIHOLE_<PREFIX>_*} variables: one per {@code _URL}, its
 * variables handed as they are (and the CA file it names, read here) to the core's
 * {@link EnvironmentSettings}, which checks them. Variables that belong to no instance are named.
 */
final class EnvironmentInstances {
  private static final Pattern URL_VARIABLE = Pattern.compile("PIHOLE_([A-Z][A-Z0-9_]*)_URL");
  /**
   * Per-instance variables that themselves end in {@code _URL}: {@code PIHOLE_HOME_PING_URL} is
   * HOME's dead-man switch, never the URL of an instance "HOME_PING".
   */
  private static final List<String> URL_SETTINGS = List.of("PING");

  /** The definitions found, and one readable line per value that could not be used. */
  record Result(List<InstanceDefinition> definitions, List<String> problems) {
  }

  private EnvironmentInstances() {
  }

  /** The prefix P of each {@code PIHOLE_<P>_URL} set, whether or not its Pi-hole could be created from it. */
  static Set<String> prefixes(Map<String, String> env) {
    return env.keySet().stream().map(URL_VARIABLE::matcher).filter(Matcher::matches).map(m -> m.group(1))
        .filter(prefix -> URL_SETTINGS.stream().noneMatch(setting -> prefix.endsWith("_" + setting))).collect(Collectors.toSet());
  }

  /** @param fireTimes when a schedule fires, as the scheduler computes it */
  static Result read(Map<String, String> env, FireTimes fireTimes) {
    return read(env, fireTimes, Map.of());
  }

  /**
   * @param defaults by prefix, the schedule and retention of unset variables where they are not
   *     ours (an instance carried over from Pi-hole Checkpoint 1.x keeps its own)
   */
  static Result read(Map<String, String> env, FireTimes fireTimes, Map<String, InstanceDefaults> defaults) {
    return read(env, fireTimes, defaults, Set.of());
  }

  /**
   * @param established the prefixes of the environment's instances already stored and in use: of two prefixes that name
   *     their Pi-holes alike, the established one keeps the name (and its history and schedule), whatever their order
   */
  static Result read(Map<String, String> env, FireTimes fireTimes, Map<String, InstanceDefaults> defaults, Set<String> established) {
    List<InstanceDefinition> definitions = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Map<String, String> prefixByName = new HashMap<>(); // names are unique by InstanceNames.same, as the API has them
    Set<String> prefixes = new HashSet<>(); // those left out for their name too: their variables are not stray
    Comparator<String> establishedFirst = Comparator.comparing((String key) -> {
      Matcher m = URL_VARIABLE.matcher(key);
      return !(m.matches() && established.contains(m.group(1)));
    });
    env.keySet().stream().sorted(establishedFirst.thenComparing(Comparator.naturalOrder())).forEach(key -> {
      Matcher m = URL_VARIABLE.matcher(key);
      if (m.matches() && URL_SETTINGS.stream().noneMatch(setting -> m.group(1).endsWith("_" + setting))) {
        EnvironmentSettings.Read read = EnvironmentSettings.check(variablesOf(m.group(1), env), fireTimes,
            defaults.getOrDefault(m.group(1), InstanceDefaults.STANDARD));
        prefixes.add(m.group(1));
        String name = read.definition().name();
        String taken = name == null ? null : prefixByName.putIfAbsent(InstanceNames.key(name), m.group(1));
        if (taken != null) {
          problems.add("PIHOLE_%s_* names its Pi-hole '%s', the name of PIHOLE_%s_* already; it is not used — give it a PIHOLE_%s_NAME of its own"
              .formatted(m.group(1), name, taken, m.group(1)));
          return;
        }
        definitions.add(read.definition());
        problems.addAll(read.problems());
      }
    });
    problems.addAll(StrayVariables.among(env.keySet(), prefixes));
    return new Result(List.copyOf(definitions), List.copyOf(problems));
  }

  /**
   * One line per instance of these variables that is contacted over https:// without checking the certificate (
   * {@code _VERIFY_SSL=false}, no fingerprint or CA file): a valid choice, so no problem of its values, but one that a blank
   * {@code _TLS_FINGERPRINT} beside it makes easy to take for a pinned one. Said at every start, naming what verifies it.
   */
  static List<String> unverified(List<InstanceDefinition> definitions, Map<String, String> env) {
    return definitions.stream().filter(d -> d.tls().mode() == TlsTrust.Mode.INSECURE && d.url().regionMatches(true, 0, "https://", 0, 8))
        .map(d -> {
          String p = "PIHOLE_" + d.envPrefix() + "_";
          String blank = env.containsKey(p + "TLS_FINGERPRINT") ? p + "TLS_FINGERPRINT is empty and " : "";
          return ("%s%sVERIFY_SSL=false: '%s' is backed up without checking its certificate, so whoever answers at its address is trusted with"
              + " its password; to verify it, set %sTLS_FINGERPRINT to its certificate's SHA-256 fingerprint (or %sCA_FILE to its CA), or remove"
              + " %sVERIFY_SSL if the system trusts its certificate").formatted(blank, p, d.name(), p, p, p);
        }).toList();
  }

  private static InstanceVariables variablesOf(String prefix, Map<String, String> env) {
    String start = "PIHOLE_" + prefix + "_";
    Map<String, String> values = new HashMap<>();
    StrayVariables.SETTINGS.forEach(setting -> {
      String value = env.get(start + setting);
      if (value != null) {
        values.put(setting, value);
      }
    });
    String caFile = values.get("CA_FILE");
    Optional<String> caFileText = caFile == null || caFile.isBlank() ? Optional.empty()
        : Settings.file(caFile.trim(), StandardCharsets.ISO_8859_1).map(EnvironmentInstances::asPem);
    return new InstanceVariables(prefix, values, caFileText);
  }

  /**
   * A CA file in DER (its bytes as ISO-8859-1 text) in PEM, the form the rules read: the connection takes either, so a start
   * warning that a DER file will fail would be false. Anything else is handed on as it is, for the rules to name.
   */
  private static String asPem(String bytes) {
    if (bytes.contains("-----BEGIN")) {
      return bytes;
    }
    try {
      StringBuilder pem = new StringBuilder();
      for (java.security.cert.Certificate certificate : java.security.cert.CertificateFactory.getInstance("X.509")
          .generateCertificates(new java.io.ByteArrayInputStream(bytes.getBytes(StandardCharsets.ISO_8859_1)))) {
        pem.append("-----BEGIN CERTIFICATE-----\n").append(java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
            .encodeToString(certificate.getEncoded())).append("\n-----END CERTIFICATE-----\n");
      }
      return pem.isEmpty() ? bytes : pem.toString();
    } catch (java.security.GeneralSecurityException | RuntimeException e) {
      return bytes;
    }
  }
}
