package io.piholecheckpoint.core.overview;

import io.piholecheckpoint.core.instance.PiholeInstance;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What the dashboard and the instance list can be narrowed to, by what needs a look. An instance
 * can be in two (failing and stale); {@link #ALL} takes every one. The words are the states the
 * badges and the API's {@code status} show ({@code inactive}, {@code auth_error}, …), so a word read
 * on a card or in an answer filters by it; {@code failing} groups the four failed-contact states.
 */
public enum InstanceFilter {
  ALL, OK, FAILING, STALE, INACTIVE, MISCONFIGURED, REMOVED, UNKNOWN,
  /** The states {@link #FAILING} groups, one by one: accepted in URLs and the API, not listed as filters of their own. */
  AUTH_ERROR, UNREACHABLE, TLS_ERROR, ERROR;

  private static final Set<InstanceFilter> FAILED_CONTACT = Set.of(AUTH_ERROR, UNREACHABLE, TLS_ERROR, ERROR);

  /** @param stale no successful backup for longer than its schedule allows (see {@code health.Staleness}) */
  public boolean matches(PiholeInstance instance, boolean stale) {
    String state = instance.state();
    return switch (this) {
      case ALL -> true;
      case OK -> state.equals("ok") && !stale;
      case FAILING -> FAILED_CONTACT.stream().anyMatch(f -> f.word().equals(state));
      case STALE -> stale;
      case INACTIVE, MISCONFIGURED, REMOVED, UNKNOWN, AUTH_ERROR, UNREACHABLE, TLS_ERROR, ERROR -> state.equals(word());
    };
  }

  /** Whether the dashboard lists it as a filter: the failed-contact states are under {@code failing}. */
  public boolean listed() {
    return !FAILED_CONTACT.contains(this);
  }

  /** The word in URLs and the API: {@code ?status=failing}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The filter {@code word} names, if any; {@code disabled}, the word {@link #INACTIVE} had before, still names it (bookmarks, scripts). */
  public static Optional<InstanceFilter> named(String word) {
    if (word.equals("disabled")) {
      return Optional.of(INACTIVE);
    }
    return Arrays.stream(values()).filter(f -> f.word().equals(word)).findFirst();
  }

  /** What {@link #named} takes, as a refusal lists it. */
  public static String words() {
    return String.join(", ", Arrays.stream(values()).filter(InstanceFilter::listed).map(InstanceFilter::word).toList())
        + ", or one of the states failing groups: " + String.join(", ", FAILED_CONTACT.stream().sorted().map(InstanceFilter::word).toList());
  }
}
