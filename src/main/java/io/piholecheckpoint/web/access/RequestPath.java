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
    if (decoded == null || decoded.contains("//") || hasUnplainSegment(decoded)) {
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
   * A dot segment, or a number written with leading zeros ("/backups/05"): an id has one form, as "%35" for "5" is refused,
   * so that every address of a backup, instance or restore is the one its links write (outsider 51).
   */
  private static boolean hasUnplainSegment(String path) {
    for (String segment : path.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..") || segment.length() > 1 && segment.charAt(0) == '0'
          && segment.chars().allMatch(c -> c >= '0' && c <= '9')) {
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
