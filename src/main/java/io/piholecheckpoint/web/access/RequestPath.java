package io.piholecheckpoint.web.access;

import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The path a request is dispatched to (servlet path plus path info, decoded and normalised by
 * the container) and whether the client wrote exactly that path. Access is decided on the
 * dispatched path only: the raw request URI may say {@code /static/../api/v1/instances} while
 * the container runs the API servlet. A request whose raw path is not plainly the dispatched one
 * (dot segments, {@code //}, path parameters, backslashes, percent-encoded {@code / \ . % ;} or
 * of characters that need no encoding) is refused before any decision: containers normalise such
 * paths differently, and no page of ours links to one.
 */
record RequestPath(String dispatched, boolean canonical) {
  /** Two bytes that stand for an ASCII character, which UTF-8 writes in one: C0 or C1, then a continuation byte. */
  private static final java.util.regex.Pattern OVERLONG_2 = java.util.regex.Pattern.compile("[\u00c0\u00c1][\u0080-\u00bf]");
  /** Three bytes that stand for an ASCII character: E0 80 or E0 81, then a continuation byte. */
  private static final java.util.regex.Pattern OVERLONG_3 = java.util.regex.Pattern.compile("\u00e0[\u0080\u0081][\u0080-\u00bf]");

  /** Characters a path may carry as they are (RFC 3986 pchar and '/', without ';' and '%'). */
  private static final String PLAIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,=:@/";
  /** Characters that, percent-encoded, would hide a separator, a dot segment or a second decoding. */
  private static final String NEVER_ENCODED = "/\\.%;";

  static RequestPath of(HttpServletRequest request) {
    String info = request.getPathInfo();
    String dispatched = request.getServletPath() + (info == null ? "" : info);
    dispatched = dispatched.isEmpty() ? "/" : dispatched;
    String uri = request.getRequestURI();
    String context = request.getContextPath();
    boolean canonical = uri != null && uri.startsWith(context) && canonical(uri.substring(context.length()), dispatched);
    return new RequestPath(dispatched, canonical);
  }

  /** Whether the raw path {@code raw} is plain and decodes to {@code dispatched}. */
  static boolean canonical(String raw, String dispatched) {
    String decoded = decode(raw);
    if (decoded == null || decoded.contains("//") || hasDotSegment(decoded)) {
      return false;
    }
    // a container may serve a directory's welcome file in place ("/static/" runs "/static/index.html")
    boolean welcomeFile = decoded.endsWith("/") && dispatched.startsWith(decoded) && dispatched.indexOf('/', decoded.length()) < 0;
    return decoded.equals(dispatched) || welcomeFile;
  }

  /** The decoded path, or null if it is not a plain absolute path with only necessary, unambiguous encodings. */
  static String decode(String raw) {
    if (raw.isEmpty() || raw.charAt(0) != '/') {
      return null;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int b = i + 2 < raw.length() ? hex(raw.charAt(i + 1), raw.charAt(i + 2)) : -1;
        if (b < 0x20 || b == 0x7f || NEVER_ENCODED.indexOf(b) >= 0 || (b < 0x80 && PLAIN.indexOf(b) >= 0)) {
          return null; // bad encoding, a control character, an ambiguous character, or one that needs no encoding
        }
        bytes.write(b);
        i += 2;
      } else if (PLAIN.indexOf(c) >= 0) {
        bytes.write(c);
      } else {
        return null;
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * Whether a path refused as not plain was meant for the API ("/api%2fv1/…", "/static/%2e%2e/api/…",
   * "/api%252fv1/…" encoded twice): its refusal is then the API's JSON, not a page's text. Read as
   * the launcher's error handler reads the paths Jetty refuses itself; decides only the shape of the refusal.
   */
  static boolean apiLooking(String rawPath) {
    // a client that encoded once, twice or more ("%2e", "%252e", "%25%32%65" all mean '.'): decoded a few rounds, as it meant
    String decoded = overlongAscii(percentDecoded(rawPath, 4)).replace('\\', '/');
    java.util.ArrayDeque<String> segments = new java.util.ArrayDeque<>();
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
    return OVERLONG_3.matcher(OVERLONG_2.matcher(bytes).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
        String.valueOf((char) ((m.group().charAt(0) & 0x01) << 6 | m.group().charAt(1) & 0x3f)))))
        .replaceAll(m -> java.util.regex.Matcher.quoteReplacement(String.valueOf((char) ((m.group().charAt(1) & 0x01) << 6 | m.group().charAt(2) & 0x3f))));
  }

  private static boolean hasDotSegment(String path) {
    for (String segment : path.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return true;
      }
    }
    return false;
  }

  private static int hex(char high, char low) {
    int h = Character.digit(high, 16);
    int l = Character.digit(low, 16);
    return h < 0 || l < 0 ? -1 : h * 16 + l;
  }
}
