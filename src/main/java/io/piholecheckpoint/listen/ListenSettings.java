package io.piholecheckpoint.listen;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The launcher's own settings, PORT, BIND_ADDRESS and HTTP_IDLE_TIMEOUT_SECONDS (how long a
 * connection may say nothing), checked before Jetty is built: a bad one is
 * named with its value and what it takes, in the web app's format (app.ConfigProblems), rather
 * than surfacing as a parse error's stack trace or an exception class name when the server starts.
 * Packed into the launcher's jar and the web app's: the migration step, which runs first, names them too.
 */
public record ListenSettings(String host, int port, Duration idleTimeout) {
  public static final int DEFAULT_PORT = 8000;
  public static final String DEFAULT_HOST = "0.0.0.0";
  /** Jetty's own default, which the launcher used before it was a setting. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

  /** A setting that cannot be used; the message names every one, as the web app's own check does. */
  public static final class Invalid extends IllegalArgumentException {
    private final transient List<String> problems;

    public Invalid(List<String> problems) {
      super(problems.size() == 1 ? problems.get(0) : numbered(problems));
      this.problems = List.copyOf(problems);
    }

    /** Each bad setting on its own, for the web app to name with its own in one refusal. */
    public List<String> problems() {
      return problems;
    }

    private static String numbered(List<String> problems) {
      StringBuilder all = new StringBuilder(problems.size() + " settings cannot be used; fix them all before the next start:");
      for (int i = 0; i < problems.size(); i++) {
        all.append(" (").append(i + 1).append(") ").append(problems.get(i));
      }
      return all.toString();
    }
  }

  /** @throws Invalid naming every bad setting at once, numbered when there are several */
  public static ListenSettings from(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    int port = port(value(env, "PORT"), problems);
    String host = host(value(env, "BIND_ADDRESS"), problems);
    Duration idleTimeout = idleTimeout(value(env, "HTTP_IDLE_TIMEOUT_SECONDS"), problems);
    if (!problems.isEmpty()) {
      throw new Invalid(problems);
    }
    return new ListenSettings(host, port, idleTimeout);
  }

  private static String value(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static int port(String value, List<String> problems) {
    if (value == null) {
      return DEFAULT_PORT;
    }
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // named below, as an out-of-range number is
    }
    problems.add("PORT='" + shown(value) + "' must be a whole number from 0 to 65535 (the HTTP port; 0 takes any free one), e.g. 8000");
    return DEFAULT_PORT;
  }

  /** HTTP_IDLE_TIMEOUT_SECONDS alone, for a server whose address is given otherwise (tests, in their own JVM). */
  public static Duration idleTimeoutIn(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    Duration idleTimeout = idleTimeout(value(env, "HTTP_IDLE_TIMEOUT_SECONDS"), problems);
    if (!problems.isEmpty()) {
      throw new Invalid(problems);
    }
    return idleTimeout;
  }

  private static Duration idleTimeout(String value, List<String> problems) {
    if (value == null) {
      return DEFAULT_IDLE_TIMEOUT;
    }
    try {
      int seconds = Integer.parseInt(value);
      if (seconds >= 1 && seconds <= 3600) {
        return Duration.ofSeconds(seconds);
      }
    } catch (NumberFormatException e) {
      // named below, as an out-of-range number is
    }
    problems.add("HTTP_IDLE_TIMEOUT_SECONDS='" + shown(value) + "' must be a whole number from 1 to 3600 (seconds a connection may say nothing), e.g. 30");
    return DEFAULT_IDLE_TIMEOUT;
  }

  private static String host(String value, List<String> problems) {
    if (value == null) {
      return DEFAULT_HOST;
    }
    String why = unusableHost(value);
    if (why != null) {
      problems.add("BIND_ADDRESS='" + shown(value) + "' " + why
          + "; use 0.0.0.0 (every address of this machine), 127.0.0.1 (this machine only) or one of its own addresses");
    }
    return value;
  }

  /** Why Jetty could not listen on {@code value}, or null when it can try. */
  private static String unusableHost(String value) {
    InetAddress address;
    try {
      // a literal is parsed; a name is resolved, as Jetty would when it opens the port
      address = InetAddress.getByName(value);
    } catch (UnknownHostException e) {
      return "is neither an IP address nor a host name this machine can resolve";
    }
    if (address.isAnyLocalAddress() || address.isLoopbackAddress()) {
      return null;
    }
    try {
      return NetworkInterface.getByInetAddress(address) == null ? "(" + address.getHostAddress() + ") is not an address of this machine" : null;
    } catch (SocketException e) {
      return null; // the interfaces cannot be listed here: the bind itself will say
    }
  }

  /** The value as the log shows it: on one line, whatever it holds. */
  private static String shown(String value) {
    StringBuilder shown = new StringBuilder();
    value.codePoints().forEach(c -> shown.append(Character.isISOControl(c) ? String.format("\\u%04x", c) : Character.toString(c)));
    return shown.toString();
  }
}
