package io.piholecheckpoint.paths;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a path refused as ambiguous or suspicious was meant for the API ("/api%2fv1/…", "/static/%2e%2e/api/…",
 * "/static/..%5capi/…", "/health/..;/api/…", "//api/…" and each of them encoded again): its refusal is then the API's
 * JSON, not a page. Only decides the shape of a refusal: nothing is served from this reading. One class read by both
 * the web app's access filter and the launcher's error handler (for what Jetty refuses before the app runs), so the
 * two never disagree: the pom packs it into the WAR's classes and into the launcher's jar, which run apart (the WAR
 * alone in another container; the launcher with Jetty only). JDK only, for that reason.
 */
public final class ApiLookingPath {
  /** Two bytes that stand for an ASCII character, which UTF-8 writes in one: C0 or C1, then a continuation byte. */
  private static final Pattern OVERLONG_2 = Pattern.compile("[\u00c0\u00c1][\u0080-\u00bf]");
  /** Three bytes that stand for an ASCII character: E0 80 or E0 81, then a continuation byte. */
  private static final Pattern OVERLONG_3 = Pattern.compile("\u00e0[\u0080\u0081][\u0080-\u00bf]");

  private ApiLookingPath() {
  }

  /** Whether a client asks for JSON rather than a page: its Accept names application/json and not text/html. */
  public static boolean asksForJson(String accept) {
    return accept != null && accept.contains("application/json") && !accept.contains("text/html");
  }

  /** Under /api/, as {@code rawPath} reads once its escapes, backslashes, path parameters and dot segments are resolved. */
  public static boolean apiLooking(String rawPath) {
    // a client that encoded once, twice or more ("%2e", "%252e", "%25%32%65" all mean '.'): decoded a few rounds, as it meant
    String decoded = overlongAscii(percentDecoded(rawPath, 4)).replace('\\', '/');
    Deque<String> segments = new ArrayDeque<>();
    for (String raw : decoded.split("/")) {
      String segment = raw.replaceFirst(";.*", ""); // a path parameter names the same segment: "api;x" is api, "..;" goes up
      if (segment.equals("..")) {
        segments.pollLast();
      } else if (!segment.isEmpty() && !segment.equals(".")) {
        segments.addLast(segment);
      }
    }
    return "api".equals(segments.peekFirst());
  }

  /**
   * {@code text} with each {@code %XX} replaced by the byte it stands for (as a Latin-1 character: enough to judge the
   * ASCII of a path), {@code rounds} times or until nothing changes; an escape that is none ("%zz", a lone "%") stays.
   */
  static String percentDecoded(String text, int rounds) {
    String current = text;
    for (int round = 0; round < rounds && current.indexOf('%') >= 0; round++) {
      StringBuilder out = new StringBuilder(current.length());
      for (int i = 0; i < current.length(); i++) {
        char c = current.charAt(i);
        int high = i + 2 < current.length() && c == '%' ? Character.digit(current.charAt(i + 1), 16) : -1;
        int low = high >= 0 ? Character.digit(current.charAt(i + 2), 16) : -1;
        if (low >= 0) {
          out.append((char) (high * 16 + low));
          i += 2;
        } else {
          out.append(c);
        }
      }
      String next = out.toString();
      if (next.equals(current)) {
        break;
      }
      current = next;
    }
    return current;
  }

  /**
   * {@code bytes} (one Latin-1 character a byte, as {@link #percentDecoded} gives them) with each overlong UTF-8 form of
   * an ASCII character ("%c0%ae", "%e0%80%ae" for '.') read as that character: what a lenient decoder behind a proxy
   * would make of it, so that "/static/%c0%ae%c0%ae/api/…" is refused as the API refuses. Invalid UTF-8 all the same.
   */
  static String overlongAscii(String bytes) {
    String twoBytes = OVERLONG_2.matcher(bytes).replaceAll(m -> Matcher.quoteReplacement(
        String.valueOf((char) ((m.group().charAt(0) & 0x01) << 6 | m.group().charAt(1) & 0x3f))));
    return OVERLONG_3.matcher(twoBytes).replaceAll(m -> Matcher.quoteReplacement(
        String.valueOf((char) ((m.group().charAt(1) & 0x01) << 6 | m.group().charAt(2) & 0x3f))));
  }
}
