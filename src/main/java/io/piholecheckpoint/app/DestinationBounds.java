package io.piholecheckpoint.app;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a destination's settings may hold beyond their own syntax, for the environment's and those
 * added in Settings alike: ports a server can listen on, lengths a person can type (a value of
 * megabytes would be stored, sealed and shown), and no option only another kind reads: a host key
 * on a WebDAV destination pins nothing, and a setting that silently does nothing is a mistake.
 */
final class DestinationBounds {
  static final int MAX_URL = 2_048;
  /** A pasted private key: an RSA 8192-bit key in PEM is some 6,500 characters. */
  private static final int MAX_PRIVATE_KEY = 16_384;
  private static final int MAX_VALUE = 1_024;
  /**
   * The options only one kind reads, by kind. A user and password are left out: a form keeps them
   * while its kind changes, and they unlock nothing that is not named by the URL.
   */
  private static final Map<String, Set<String>> ONLY = Map.of(
      "s3", Set.of("ENDPOINT", "REGION", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "PATH_STYLE"),
      "sftp", Set.of("PRIVATE_KEY_FILE", "PRIVATE_KEY", "PRIVATE_KEY_PASSPHRASE", "HOST_KEY", "KNOWN_HOSTS_FILE"));
  /** The kinds that read a user or password, for the environment's destinations (a variable is set on purpose, no form kept it). */
  private static final Map<String, Set<String>> READ_BY = Map.of("USER", Set.of("webdav"), "PASSWORD", Set.of("sftp", "webdav"));

  private DestinationBounds() {
  }

  /**
   * @param options the kind's options given (suffix → value)
   * @param environment whether they are variables: then a user or password the kind does not read is refused too
   */
  static List<String> problems(String prefix, URI url, String instances, Map<String, String> options, boolean environment) {
    List<String> problems = new ArrayList<>();
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    String kind = scheme.startsWith("webdav+") ? "webdav" : scheme;
    if (instances.length() > MAX_VALUE) {
      problems.add(prefix + "INSTANCES is " + instances.length() + " characters long; at most " + MAX_VALUE);
    }
    options.keySet().stream().sorted().forEach(option -> {
      int max = option.equals("PRIVATE_KEY") ? MAX_PRIVATE_KEY : option.equals("ENDPOINT") ? MAX_URL : MAX_VALUE;
      if (options.get(option).length() > max) {
        problems.add(prefix + option + " is " + options.get(option).length() + " characters long; at most " + max);
      }
      ONLY.forEach((only, own) -> {
        if (!only.equals(kind) && own.contains(option)) {
          problems.add(prefix + option + " is a setting of an " + only + ":// destination only" + (option.contains("HOST") ? " (only an SSH "
              + "server has a host key to pin)" : "") + ": remove it, or fix " + prefix + "URL");
        }
      });
      Set<String> readBy = READ_BY.get(option);
      if (environment && readBy != null && !readBy.contains(kind)) {
        problems.add(prefix + option + " is not read by a " + kind + ":// destination (only by " + String.join(" and ", readBy.stream().sorted()
            .map(k -> k + "://").toList()) + (option.equals("USER") ? "; SFTP takes the user from the URL" : "") + "): remove it (and any "
            + prefix + option + "_FILE), or fix " + prefix + "URL");
      }
    });
    if (kind.equals("webdav")) {
      port(problems, prefix + "URL", url);
    }
    if (kind.equals("s3") && options.containsKey("ENDPOINT")) {
      try {
        port(problems, prefix + "ENDPOINT", new URI(options.get("ENDPOINT").strip()));
      } catch (URISyntaxException e) {
        // the adapter says what an endpoint looks like
      }
    }
    return problems;
  }

  /** -1 is the scheme's own; java.net.URI takes any number of digits as a port. */
  private static void port(List<String> problems, String variable, URI url) {
    int port = url.getPort();
    if (port != -1 && (port < 1 || port > 65_535)) {
      problems.add(variable + " has the port " + port + ": a server's port is 1-65535 (the scheme's own if left out)");
    }
  }
}
