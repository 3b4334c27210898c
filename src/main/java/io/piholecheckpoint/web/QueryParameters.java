package io.piholecheckpoint.web;

import io.piholecheckpoint.core.overview.InstanceFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query string of an API request, read strictly: only the parameters the endpoint names,
 * each at most once, each value well-formed. A typo ({@code ?limt=5}), a repeat or a value of
 * the wrong kind is a 400 naming the parameter, never a silent default. Read from the raw query
 * string, so a form-encoded body is never taken for parameters.
 */
public final class QueryParameters {
  /** Parameters whose fields a tab may separate: a cron line, as crontab reads it (the schedule keeps it as a space). */
  private static final Set<String> SEPARATED_BY_TABS = Set.of("cron");
  private final Map<String, String> values;

  private QueryParameters(Map<String, String> values) {
    this.values = values;
  }

  /** The query of {@code request}, which may use only {@code allowed}. */
  public static QueryParameters of(HttpServletRequest request, String... allowed) {
    Set<String> names = Set.of(allowed);
    Map<String, String> values = new HashMap<>();
    String query = request.getQueryString();
    for (String pair : query == null || query.isEmpty() ? new String[0] : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq), null);
      String value = decode(eq < 0 ? "" : pair.substring(eq + 1), name);
      if (!names.contains(name)) {
        throw new Json.BadRequestException(400, "unknown_parameter", name, (name.isEmpty() ? "an empty parameter name" : name)
            + " is not a parameter here" + (names.isEmpty() ? "; this address takes none" : "; it takes " + String.join(", ", new TreeSet<>(names))));
      }
      if (values.put(name, value) != null) {
        throw new Json.BadRequestException(400, "duplicate_parameter", name, name + " is given twice; send it once");
      }
    }
    return new QueryParameters(values);
  }

  /** The value, or null when the parameter is not given. */
  public String text(String name) {
    return values.get(name);
  }

  public long number(String name, long fallback, long min, long max) {
    String raw = values.get(name);
    if (raw == null) {
      return fallback;
    }
    if (raw.matches("\\d{1,18}")) {
      long n = Long.parseLong(raw);
      if (n >= min && n <= max) {
        return n;
      }
    }
    throw wrong(name, "a whole number from " + min + " to " + max);
  }

  /** {@code true} or {@code false}, nothing else; absent is false. */
  public boolean flag(String name) {
    String raw = values.get(name);
    if (raw == null || raw.equals("false")) {
      return false;
    }
    if (raw.equals("true")) {
      return true;
    }
    throw wrong(name, "true or false");
  }

  public <E extends Enum<E>> E choice(String name, Class<E> type) {
    String raw = values.get(name);
    if (raw == null) {
      return null;
    }
    List<String> choices = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
    if (!choices.contains(raw)) {
      throw wrong(name, "one of " + String.join(", ", choices));
    }
    return Enum.valueOf(type, raw.toUpperCase(Locale.ROOT));
  }

  /** The instance list's {@code status} filter (see {@link InstanceFilter#named}); absent is null. */
  public InstanceFilter instanceFilter(String name) {
    String raw = values.get(name);
    if (raw == null) {
      return null;
    }
    return InstanceFilter.named(raw).orElseThrow(() -> wrong(name, "one of " + InstanceFilter.words()));
  }

  public String choice(String name, String... choices) {
    String raw = values.get(name);
    if (raw != null && !Arrays.asList(choices).contains(raw)) {
      throw wrong(name, "one of " + String.join(", ", choices));
    }
    return raw;
  }

  public static Json.BadRequestException wrong(String name, String expected) {
    return new Json.BadRequestException(400, "bad_parameter", name, name + " must be " + expected);
  }

  /** %-decoding that refuses broken escapes and bytes that are not UTF-8, instead of guessing. */
  /** @param name the parameter whose value this is, named as the field at fault; null for a parameter's name */
  private static String decode(String raw, String name) {
    String what = name == null ? "a parameter name" : name;
    byte[] bytes = new byte[raw.length()];
    int n = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0 || Character.digit(raw.charAt(i + 2), 16) < 0) {
          throw new Json.BadRequestException(400, "bad_parameter", name, what + " has a broken %-escape");
        }
        bytes[n++] = (byte) Integer.parseInt(raw.substring(i + 1, i + 3), 16);
        i += 2;
      } else if (c > 0x7e || c < 0x20) {
        throw new Json.BadRequestException(400, "bad_parameter", name, what + " has a character that must be %-escaped");
      } else {
        bytes[n++] = (byte) (c == '+' ? ' ' : c);
      }
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, n)).toString();
    } catch (CharacterCodingException e) {
      throw new Json.BadRequestException(400, "bad_parameter", name, what + " is not UTF-8");
    }
    // no parameter means a control character, and a NUL or an escape echoed into a page's search box is nobody's text
    if (text.codePoints().anyMatch(c -> Character.isISOControl(c) && !(c == '\t' && SEPARATED_BY_TABS.contains(name)))) {
      throw new Json.BadRequestException(400, "bad_parameter", name, what + " holds a control character (such as %00); leave it out");
    }
    return text;
  }
}
