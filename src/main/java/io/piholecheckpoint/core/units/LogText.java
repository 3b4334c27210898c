package io.piholecheckpoint.core.units;

/**
 * Text from outside (instance names, URLs, environment values, a Pi-hole's error messages,
 * file names) as a log argument: control characters are written as escapes, so a CR or LF in
 * it cannot start a forged log line, and a very long value is cut. Pass {@code LogText.of(x)}
 * where a log line would carry {@code x}. A zero-width joiner inside an emoji sequence (the family 👨‍👩‍👧) is part of it
 * and kept as itself: a name may hold one, and its escape was shown in place of the name.
 */
public final class LogText {
  private static final int MAX_LENGTH = 500;
  private static final char ZWJ = '\u200d';
  private final String value;

  private LogText(String value) {
    this.value = value;
  }

  public static LogText of(Object value) {
    return new LogText(value == null ? null : value.toString());
  }

  /** The escaped text; "null" for null, as SLF4J would print it. */
  public static String escape(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LENGTH) + 16);
    for (int i = 0; i < text.length() && out.length() < MAX_LENGTH; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\\' -> out.append("\\\\");
        default -> {
          if (unsafe(c) && !joinsEmoji(text, i)) {
            out.append("\\u%04x".formatted((int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.length() >= MAX_LENGTH && text.length() > MAX_LENGTH ? out.append("…").toString() : out.toString();
  }

  /**
   * The text with each control character replaced by a visible escape, nothing else changed:
   * for messages built from outside text that go on to logs, pages and notifications alike.
   */
  public static String withoutControls(String text) {
    if (text == null || text.chars().noneMatch(c -> unsafe((char) c))) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append(!unsafe(c) || joinsEmoji(text, i) ? String.valueOf(c) : c == '\n' ? "\\n" : c == '\r' ? "\\r" : "\\u%04x".formatted((int) c));
    }
    return out.toString();
  }

  /**
   * Whether the char at {@code index} is a zero-width joiner between two pictographs (👨‍👩): part of an emoji sequence, not
   * an invisible character hiding in the text. Anywhere else (HO\u200dME) it stays one.
   */
  public static boolean joinsEmoji(String text, int index) {
    return text.charAt(index) == ZWJ && index > 0 && index + 1 < text.length() && pictographic(text.codePointBefore(index))
        && pictographic(text.codePointAt(index + 1));
  }

  /** An emoji, or what may end one before a joiner: variation selector 16, a skin-tone modifier. */
  private static boolean pictographic(int cp) {
    return Character.getType(cp) == Character.OTHER_SYMBOL || cp == 0xFE0F || (cp >= 0x1F3FB && cp <= 0x1F3FF);
  }

  /** Controls, line and paragraph separators, and format characters (e.g. bidi overrides). */
  public static boolean unsafe(char c) {
    return unsafe((int) c);
  }

  /** As {@link #unsafe(char)}, for a whole code point: the format characters beyond the BMP (tag characters) too. */
  public static boolean unsafe(int codePoint) {
    int type = Character.getType(codePoint);
    return Character.isISOControl(codePoint) || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.FORMAT;
  }

  @Override
  public String toString() {
    return escape(value);
  }
}
