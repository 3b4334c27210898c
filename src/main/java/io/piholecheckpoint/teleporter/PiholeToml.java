package io.piholecheckpoint.teleporter;

import io.piholecheckpoint.core.archive.InvalidArchiveException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * An archive's pihole.toml, bounded before the TOML parser sees it: the parser holds the whole
 * text and a tree of it in the heap, and recurses once per level of nested arrays and inline
 * tables (a few hundred levels overflow the server's 256 KiB thread stacks). A real pihole.toml
 * is about 60 KB and nests two levels deep.
 */
final class PiholeToml {
  static final long MAX_BYTES = 2L * 1024 * 1024;
  static final int MAX_NESTING = 32;
  private static final String REAL_SIZE = "about 60 KB";
  private static final Pattern FIRST_LINE = Pattern.compile("\\uFEFF?# Pi-hole configuration file \\((v?[0-9][0-9A-Za-z.+-]{0,39})\\)\\r?\\n");

  private PiholeToml() {
  }

  static byte[] read(ZipFile zip, ZipEntry entry) throws IOException {
    byte[] bytes;
    try (InputStream in = open(zip, entry, new InflationBudget())) {
      bytes = in.readAllBytes();
    }
    requireShallow(entry.getName(), bytes);
    return bytes;
  }

  /** Refuses a text nested deeper than {@link #MAX_NESTING}. */
  static void requireShallow(String name, byte[] bytes) {
    int depth = nesting(new String(bytes, StandardCharsets.UTF_8));
    if (depth > MAX_NESTING) {
      throw new InvalidArchiveException("the archive's %s nests arrays or tables %d levels deep; Pi-hole writes at most a few, so this archive was not made by Pi-hole"
          .formatted(name, depth));
    }
  }

  /** The entry's bytes, refused past {@link #MAX_BYTES}, counted in {@code budget}. */
  static InputStream open(ZipFile zip, ZipEntry entry, InflationBudget budget) throws IOException {
    return budget.open(zip, entry, MAX_BYTES, REAL_SIZE);
  }

  /**
   * The FTL version FTL wrote into the file's first line, "# Pi-hole configuration file (v6.4.1)", or null when that line
   * is not there or names no plain version: the value is stored and shown, so nothing else of the line is taken.
   */
  static String ftlVersion(String text) {
    Matcher m = FIRST_LINE.matcher(text);
    return m.lookingAt() ? m.group(1) : null;
  }

  static String tooLarge(String name) {
    return InflationBudget.tooLarge(name, MAX_BYTES, REAL_SIZE);
  }

  /** The deepest nesting of brackets and braces outside strings and comments. */
  static int nesting(String text) {
    int depth = 0;
    int deepest = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '#') {
        i = endOf(text, i, "\n", false) - 1;
      } else if (c == '"' || c == '\'') {
        String quote = text.startsWith(String.valueOf(c).repeat(3), i) ? String.valueOf(c).repeat(3) : String.valueOf(c);
        i = endOf(text, i + quote.length(), quote, c == '"') - 1;
      } else if (c == '[' || c == '{') {
        deepest = Math.max(deepest, ++depth);
      } else if ((c == ']' || c == '}') && depth > 0) {
        depth--;
      }
    }
    return deepest;
  }

  /** The index just past {@code end}, searched from {@code from}; backslash escapes skipped in basic strings. */
  private static int endOf(String text, int from, String end, boolean escapes) {
    for (int i = from; i < text.length(); i++) {
      if (escapes && text.charAt(i) == '\\') {
        i++;
      } else if (text.startsWith(end, i)) {
        return i + end.length();
      }
    }
    return text.length();
  }
}
