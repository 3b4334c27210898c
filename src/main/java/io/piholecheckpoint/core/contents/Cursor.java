package io.piholecheckpoint.core.contents;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Where a page ended: the key of its last item, so the next page starts right after it in
 * {@link NaturalOrder} (keyset paging: no OFFSET that grows with the page number). Bound to the
 * list it was handed out for ({@code scope}, e.g. "diff:domains:added") and carrying a check of
 * its own bytes, so a cursor of another list, a truncated or an edited one is refused instead of
 * silently starting somewhere else. The check is no secret: a cursor is a position in a list the
 * caller may read anyway. Base64url, so it is safe in a URL.
 */
public record Cursor(String key1, long key2) {
  private static final char SEPARATOR = '\u001f';
  private static final int CHECK = 6;

  /** Why a cursor is refused, and what to do. */
  public static final String ANOTHER_LIST = "the cursor is not one this server handed out for this backup and list: send it with the"
      + " backup, category (and change) of the page that gave it, or start again without it";

  /** The natural sort key of {@link #key1}: pages are ordered by (sortKey, key1, key2). */
  public String sortKey() {
    return NaturalOrder.key(key1);
  }

  public String encode(String scope) {
    byte[] text = chars(key2 + String.valueOf(SEPARATOR) + key1);
    byte[] check = check(scope, text);
    byte[] all = Arrays.copyOf(check, CHECK + text.length);
    System.arraycopy(text, 0, all, CHECK, text.length);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(all);
  }

  /** @throws IllegalArgumentException for text we did not hand out for {@code scope} */
  public static Cursor decode(String cursor, String scope) {
    try {
      byte[] all = canonical(cursor);
      byte[] text = Arrays.copyOfRange(all, CHECK, all.length);
      if (all.length < CHECK || !MessageDigest.isEqual(Arrays.copyOf(all, CHECK), check(scope, text))) {
        throw new IllegalArgumentException("no cursor of this list");
      }
      if (text.length % 2 != 0) {
        throw new IllegalArgumentException("not whole characters");
      }
      char[] chars = new char[text.length / 2];
      for (int i = 0; i < chars.length; i++) {
        chars[i] = (char) (((text[2 * i] & 0xff) << 8) | (text[2 * i + 1] & 0xff));
      }
      String decoded = new String(chars);
      int at = decoded.indexOf(SEPARATOR);
      return new Cursor(decoded.substring(at + 1), Long.parseLong(decoded.substring(0, at)));
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException(ANOTHER_LIST);
    }
  }

  /**
   * {@code cursor} (handed out by a reader for one list) tied to {@code owner} as well, e.g. the
   * backup whose list it pages: the same check in front, so a cursor of another owner is refused.
   */
  public static String bind(String cursor, String owner) {
    if (cursor == null) {
      return null;
    }
    byte[] text = cursor.getBytes(StandardCharsets.US_ASCII);
    byte[] all = Arrays.copyOf(check(owner, text), CHECK + text.length);
    System.arraycopy(text, 0, all, CHECK, text.length);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(all);
  }

  /**
   * The reader's cursor inside a cursor {@link #bind bound} to {@code owner}.
   *
   * @throws IllegalArgumentException for a cursor bound to another owner, or not bound at all
   */
  public static String unbind(String cursor, String owner) {
    if (cursor == null) {
      return null;
    }
    try {
      byte[] all = canonical(cursor);
      byte[] text = Arrays.copyOfRange(all, CHECK, all.length);
      if (MessageDigest.isEqual(Arrays.copyOf(all, CHECK), check(owner, text))) {
        return new String(text, StandardCharsets.US_ASCII);
      }
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      // not ours at all: said below as for another owner's
    }
    throw new IllegalArgumentException(ANOTHER_LIST);
  }

  /**
   * The bytes of {@code cursor}, only if it is spelled exactly as we encode them: the decoder
   * ignores the unused low bits of the last character and accepts padding, so without this an
   * edited cursor ("…A" to "…B") would pass the check as the same bytes.
   */
  private static byte[] canonical(String cursor) {
    byte[] bytes = Base64.getUrlDecoder().decode(cursor);
    if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(cursor)) {
      throw new IllegalArgumentException("not as we spell it");
    }
    return bytes;
  }

  /** Each UTF-16 unit as two bytes: unlike a charset, this keeps a lone surrogate, so every key comes back exactly. */
  private static byte[] chars(String text) {
    byte[] bytes = new byte[text.length() * 2];
    for (int i = 0; i < text.length(); i++) {
      bytes[2 * i] = (byte) (text.charAt(i) >> 8);
      bytes[2 * i + 1] = (byte) text.charAt(i);
    }
    return bytes;
  }

  private static byte[] check(String scope, byte[] text) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(scope.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      return Arrays.copyOf(sha.digest(text), CHECK);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
