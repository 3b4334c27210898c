package io.piholecheckpoint.core.offsite.remote;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One destination's settings as read from {@code OFFSITE_<NAME>_*} (or {@code STORAGE_*}, the shared archive store's): its URL and the kind's own
 * options by the variable's suffix ({@code REGION}, {@code ACCESS_KEY_ID}, {@code PASSWORD} …),
 * where a {@code _FILE} variant has already been read in place of the value. Each adapter checks
 * the options of its kind and names the variable in what it refuses.
 *
 * @param name the {@code <NAME>} of the variables, upper case
 * @param timeout how long one request may wait for the destination before it counts as down
 * @param naming the setting a suffix stands for, for messages ({@code REGION} → {@code OFFSITE_B2_REGION})
 */
public record DestinationConfig(String name, URI url, Map<String, String> options, Duration timeout, UnaryOperator<String> naming) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public DestinationConfig {
    options = Map.copyOf(options);
  }

  /** An off-site destination's: its settings are {@code OFFSITE_<NAME>_*} variables. */
  public DestinationConfig(String name, URI url, Map<String, String> options, Duration timeout) {
    this(name, url, options, timeout, suffix -> "OFFSITE_" + name + "_" + suffix);
  }

  public Optional<String> option(String suffix) {
    return Optional.ofNullable(options.get(suffix)).filter(v -> !v.isBlank());
  }

  /**
   * Refuses a URL with a query or a {@code #}: no kind reads one, and dropping it silently would leave a user believing a
   * setting written there ({@code ?token=…}) was taken. The message names the query's parameters, never their values, and
   * where each of the kind's settings goes instead.
   *
   * @param settings the suffixes of the kind's own settings ({@code REGION} …), named in the message as a variable or a field
   */
  public void requireNoQuery(String... settings) {
    if (url.getRawQuery() == null && url.getRawFragment() == null) {
      return;
    }
    String names = url.getRawQuery() == null ? "" : java.util.Arrays.stream(url.getRawQuery().split("&"))
        .map(p -> p.split("=", 2)[0]).filter(n -> !n.isEmpty()).distinct().collect(java.util.stream.Collectors.joining(", "));
    String instead = settings.length == 0 ? "this kind of destination has no setting but its path"
        : "this kind of destination's settings are " + java.util.Arrays.stream(settings).map(this::variable).distinct().collect(java.util.stream.Collectors.joining(", "));
    throw new IllegalArgumentException(variable("URL") + " has " + (url.getRawQuery() == null ? "a #" : "a query" + (names.isEmpty() ? "" : " (" + names + ")"))
        + " that is not read: remove it; " + instead);
  }

  /** The variable a suffix stands for, for messages: {@code OFFSITE_B2_REGION}. */
  public String variable(String suffix) {
    return naming.apply(suffix);
  }
}
