package io.piholecheckpoint.core.contents;

import java.util.Comparator;

/**
 * The order in which people expect lists: digit runs by their value ({@code block-2.txt} before
 * {@code block-10.txt}), letters without regard to case, and, among texts equal so far, the exact
 * text (code point by code point) as the tie-break, so no two different texts compare equal.
 *
 * <p>{@link #key} turns a text into a sort key whose plain code point order (SQLite's BINARY
 * collation over UTF-8 is exactly that) is this order without the tie-break: letters folded to
 * lower case, each digit run as {@code '0'}, the number of digits of its length, its length and
 * its digits without leading zeros. A run and a letter differ in their first character (a folded
 * letter is never an ASCII digit), and two runs compare by length before digits, so an index
 * ordered by (key, text) pages in the same order as {@link #TEXT} sorts.
 */
public final class NaturalOrder {
  /** Natural order, then the exact text: a total order consistent with {@link String#equals}. */
  public static final Comparator<String> TEXT = (a, b) -> {
    int byKey = codePoints(key(a), key(b));
    return byKey != 0 ? byKey : codePoints(a, b);
  };

  private NaturalOrder() {
  }

  public static String key(String text) {
    StringBuilder key = new StringBuilder(text.length() + 8);
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        int end = i;
        while (end < text.length() && text.charAt(end) >= '0' && text.charAt(end) <= '9') {
          end++;
        }
        int start = i;
        while (start < end - 1 && text.charAt(start) == '0') {
          start++;
        }
        String length = Integer.toString(end - start);
        key.append('0').append((char) ('0' + length.length())).append(length).append(text, start, end);
        i = end;
      } else {
        int cp = text.codePointAt(i);
        key.appendCodePoint(Character.toLowerCase(Character.toUpperCase(cp)));
        i += Character.charCount(cp);
      }
    }
    return key.toString();
  }

  /** Code point order, as SQLite compares UTF-8 bytes (String.compareTo compares UTF-16 units, which differs above U+FFFF). */
  static int codePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }
}
