package io.piholecheckpoint.core.units;

import java.time.Duration;
import java.util.Locale;

/**
 * How a setting written as text is read: a flag, a whole number or a duration, the same for the
 * app's settings, notifications and instance settings. Each throws
 * {@link IllegalArgumentException} for text it cannot read; the caller words the message, since
 * only it knows where the text came from (a variable, a form field) and what happens next.
 */
public final class SettingText {
  private SettingText() {
  }

  /** true, 1, yes, on / false, 0, no, off, in any case, spaces around ignored. */
  public static boolean flag(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new IllegalArgumentException("not true or false: " + text);
    };
  }

  /**
   * A whole number from {@code min} to {@code max}, spaces around ignored. Digits are ASCII 0-9
   * only: Java reads full-width and other scripts' digits too, which would let a value that looks
   * like one number in a file be another to every other tool.
   */
  public static int wholeNumber(String text, int min, int max) {
    int n = Integer.parseInt(asciiDigits(text.trim()));
    if (n < min || n > max) {
      throw new IllegalArgumentException(n + " is not from " + min + " to " + max);
    }
    return n;
  }

  /** The longest duration a setting takes: a window longer than this is a typo, and one near Duration's limits overflows any Instant it is added to. */
  public static final Duration LONGEST = Duration.ofDays(3650);

  /** A positive duration of at most {@link #LONGEST}: "90m", "36h", "2d" or ISO-8601 ("PT36H"). */
  public static Duration duration(String text) {
    String v = text.trim();
    Duration d;
    try {
      d = parseDuration(v);
    } catch (java.time.DateTimeException | ArithmeticException e) {
      throw new IllegalArgumentException("not a duration: " + text, e);
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("not positive: " + text);
    }
    if (d.compareTo(LONGEST) > 0) {
      throw new IllegalArgumentException("longer than " + LONGEST.toDays() + " days: " + text);
    }
    return d;
  }

  /** The text when it is a sign and ASCII digits; otherwise no number (as {@link Integer#parseInt} says it). */
  public static String asciiDigits(String text) {
    if (!text.matches("[+-]?[0-9]+")) {
      throw new NumberFormatException("not a number written with the digits 0-9: " + text);
    }
    return text;
  }

  private static Duration parseDuration(String v) {
    Duration d;
    if (v.toUpperCase(Locale.ROOT).startsWith("P")) {
      d = Duration.parse(v.toUpperCase(Locale.ROOT));
    } else if (v.isEmpty()) {
      throw new IllegalArgumentException("no duration");
    } else {
      long n = Long.parseLong(asciiDigits(v.substring(0, v.length() - 1)));
      d = switch (v.charAt(v.length() - 1)) {
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        case 'd' -> Duration.ofDays(n);
        default -> throw new IllegalArgumentException("no unit m, h or d: " + v);
      };
    }
    return d;
  }
}
