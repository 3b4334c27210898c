package io.piholecheckpoint.app;

import io.piholecheckpoint.core.units.UrlText;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads NOTIFY_* variables for {@link NotificationSetup} through {@link Settings}, collecting what
 * is wrong in {@code problems} instead of throwing: a notification setting never stops the start.
 */
record NotifyReader(Map<String, String> env, List<String> problems) {
  Optional<String> value(String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  /**
   * An http(s) address with a host, or a named problem and nothing (its provider is left out). One that is a credential
   * ({@link NotificationSetup#SECRETS}: a webhook's address, which anyone holding may post to) is read as a secret, from
   * NAME_FILE too, and never repeated in the problem.
   */
  Optional<String> url(String name) {
    boolean secret = NotificationSetup.SECRETS.contains(name);
    return (secret ? secret(name).map(String::trim).filter(v -> !v.isEmpty()) : value(name)).filter(v -> {
      Optional<String> problem = UrlText.httpProblem(v);
      // even an address that is no credential may carry one in its user-info or query: shown by its host only
      problem.ifPresent(p -> problems.add((secret ? Settings.secretVariable(env, name) : name + " (" + UrlText.redacted(v) + ")")
          + " is not an http:// or https:// address: " + p + "; its provider is not used"));
      return problem.isEmpty();
    });
  }

  /** As {@link #url(String)}, with a default address when the variable is not set. */
  Optional<String> url(String name, String fallback) {
    return value(name).isPresent() ? url(name) : Optional.of(fallback);
  }

  Optional<String> secret(String name) {
    try {
      return Settings.secret(env, name);
    } catch (AppConfig.ConfigException e) {
      problems.add(e.getMessage());
      return Optional.empty();
    }
  }

  Optional<String> required(String name, String because) {
    Optional<String> v = value(name);
    if (v.isEmpty()) {
      problems.add(because + " is set but " + name + " is not: set it too");
    }
    return v;
  }

  Optional<String> requiredSecret(String name, String because) {
    Optional<String> v = secret(name);
    if (v.isEmpty()) {
      problems.add(because + " is set but " + name + " (or " + name + "_FILE) is not: set it too");
    }
    return v;
  }

  int number(String name, int fallback, int min, int max) {
    try {
      return Settings.number(env, name, fallback, min, max);
    } catch (AppConfig.ConfigException e) {
      problems.add(e.getMessage() + "; using " + fallback);
      return fallback;
    }
  }

  Duration duration(String name, Duration fallback) {
    try {
      return Settings.duration(env, name).orElse(fallback);
    } catch (AppConfig.ConfigException e) {
      problems.add(e.getMessage() + "; using " + fallback.toHours() + "h");
      return fallback;
    }
  }

  boolean flag(String name, boolean fallback) {
    try {
      return Settings.flag(env, name, fallback);
    } catch (AppConfig.ConfigException e) {
      problems.add(e.getMessage() + "; using " + fallback);
      return fallback;
    }
  }

  /** "Name: value; Other: value". */
  Map<String, String> headers(String name) {
    Map<String, String> headers = new LinkedHashMap<>();
    // an Authorization header is a credential: read as a secret, from NAME_FILE too
    secret(name).map(String::trim).filter(v -> !v.isEmpty()).ifPresent(text -> {
      String[] all = text.split(";");
      for (int i = 0; i < all.length; i++) {
        String h = all[i];
        int colon = h.indexOf(':');
        if (colon > 0) {
          headers.put(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
        } else if (!h.isBlank()) {
          // not repeated: it may be a token
          problems.add(Settings.secretVariable(env, name) + ": header " + (i + 1) + " is not 'Name: value'; separate headers with ';'");
        }
      }
    });
    return headers;
  }
}
