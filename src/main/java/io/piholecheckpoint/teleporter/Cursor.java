package io.piholecheckpoint.teleporter;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where a page ended: the natural key of its last item, so the next page starts right after it
 * (keyset paging: no OFFSET that grows with the page number). Base64url, so it is safe in a URL.
 */
record Cursor(String key1, long key2) {
  private static final char SEPARATOR = '\u001f';

  String encode() {
    String text = key2 + String.valueOf(SEPARATOR) + (key1 == null ? "" : key1);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** @throws IllegalArgumentException for text we did not hand out */
  static Cursor decode(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int at = text.indexOf(SEPARATOR);
      return new Cursor(text.substring(at + 1), Long.parseLong(text.substring(0, at)));
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("the cursor '" + cursor + "' is not one this server handed out: start again without it");
    }
  }
}
