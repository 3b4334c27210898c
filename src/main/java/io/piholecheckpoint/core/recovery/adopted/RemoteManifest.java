package io.piholecheckpoint.core.recovery.adopted;

import io.piholecheckpoint.core.archive.Archive;
import io.piholecheckpoint.core.archive.ArchiveFiles;
import io.piholecheckpoint.core.archive.ContentSummary;
import io.piholecheckpoint.core.gateway.PiholeVersions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The manifest beside an off-site copy ({@code <remote key>.json}, written by the offsite
 * package's Manifest), read back by an install that has nothing else: whose archive, when, how
 * big, with which digests. Read by hand like it is written (the core knows no JSON library); it is
 * a flat object of strings, numbers, booleans and nulls, and anything else is refused with what
 * is wrong, so one bad manifest is skipped with its reason.
 *
 * @param pinned whether its backup was pinned when the manifest was last written; a manifest without the field says no
 * @param trigger how its backup was taken ("scheduled", "imported", …), or null when the manifest does not say
 * @param suspicious whether its backup was flagged suspicious; null for a manifest written before it said so (re-judged then)
 * @param accepted whether a person accepted it after it was flagged; a manifest without the field says no
 */
public record RemoteManifest(String instance, String instanceUrl, String remoteKey, Instant startedAt, Instant finishedAt, Archive archive,
                      long uploadedBytes, String uploadedSha256, boolean pinned, String trigger, Boolean suspicious, boolean accepted) {
  static final String FORMAT = "pihole-checkpoint-offsite/1";
  /** A manifest is about 1 KB; anything far bigger is not one, and is not read into the heap. */
  public static final int MAX_BYTES = 64 * 1024;
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /** @throws IllegalArgumentException saying what is wrong with it */
  public static RemoteManifest parse(String json) {
    Map<String, Object> f = new Reader(json).object();
    if (!FORMAT.equals(f.get("format"))) {
      throw new IllegalArgumentException("not a manifest of format " + FORMAT);
    }
    String fileName = text(f, "fileName");
    if (!ArchiveFiles.isOurs(fileName)) {
      throw new IllegalArgumentException("its fileName is not the name of a Pi-hole Checkpoint archive");
    }
    Archive archive = new Archive(fileName, size(f, "archiveBytes"), sha256(f, "archiveSha256"), sha256(f, "contentHash"),
        new PiholeVersions(optional(f, "piholeCore"), optional(f, "piholeFtl"), optional(f, "piholeWeb")), counts(optional(f, "counts"), f.get("otherDomains")),
        optional(f, "changes"));
    if (f.containsKey("suspicious") && !(f.get("suspicious") instanceof Boolean)) {
      throw new IllegalArgumentException("its suspicious is not true or false");
    }
    return new RemoteManifest(text(f, "instance"), optional(f, "instanceUrl"), text(f, "remoteKey"), time(f, "startedAt"), time(f, "finishedAt"),
        archive, size(f, "uploadedBytes"), sha256(f, "uploadedSha256"), Boolean.TRUE.equals(f.get("pinned")), optional(f, "trigger"),
        (Boolean) f.get("suspicious"), Boolean.TRUE.equals(f.get("accepted")));
  }

  private static String text(Map<String, Object> f, String name) {
    if (!(f.get(name) instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException("it has no " + name);
    }
    return s;
  }

  private static String optional(Map<String, Object> f, String name) {
    return f.get(name) instanceof String s && !s.isBlank() ? s : null;
  }

  private static long size(Map<String, Object> f, String name) {
    if (!(f.get(name) instanceof Long n) || n <= 0) {
      throw new IllegalArgumentException("its " + name + " is not a size in bytes");
    }
    return n;
  }

  private static String sha256(Map<String, Object> f, String name) {
    String value = text(f, name);
    if (!SHA256.matcher(value).matches()) {
      throw new IllegalArgumentException("its " + name + " is not a SHA-256 in hex");
    }
    return value;
  }

  private static Instant time(Map<String, Object> f, String name) {
    try {
      return Instant.parse(text(f, name));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("its " + name + " is not a time");
    }
  }

  /**
   * The ten numbers of a {@link ContentSummary}, comma-separated, and its domains of other types in a
   * field of their own. A manifest written before they were added has none: zeros then, as pages and
   * the API expect a summary of every archive (opening the archive, once fetched, shows what it holds).
   */
  private static ContentSummary counts(String text, Object otherDomains) {
    if (text == null) {
      return new ContentSummary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
    int other = 0;
    if (otherDomains != null) {
      if (!(otherDomains instanceof Long n) || n < 0 || n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("its otherDomains is not a count");
      }
      other = n.intValue();
    }
    String[] parts = text.split(",", -1);
    int[] n = new int[10];
    if (parts.length != n.length) {
      throw new IllegalArgumentException("its counts are not ten numbers");
    }
    try {
      for (int i = 0; i < n.length; i++) {
        n[i] = Integer.parseInt(parts[i].trim());
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("its counts are not ten numbers");
    }
    return new ContentSummary(n[0], n[1], n[2], n[3], n[4], n[5], other, n[6], n[7], n[8], n[9]);
  }

  /** A flat JSON object: string keys, each value a string, a whole number, true, false or null. */
  private static final class Reader {
    private final String s;
    private int i;

    Reader(String s) {
      this.s = s;
    }

    Map<String, Object> object() {
      Map<String, Object> fields = new HashMap<>();
      expect('{');
      if (peek() == '}') {
        i++;
      } else {
        do {
          String key = string();
          expect(':');
          if (fields.containsKey(key)) {
            // read strictly, as the API reads a body: with a key twice, which one is meant is not known (the last one was taken)
            throw new IllegalArgumentException("its key \"" + AdoptedCopies.shown(key) + "\" is given twice");
          }
          fields.put(key, value());
        } while (next() == ',');
        i--;
        expect('}');
      }
      if (peek() != 0) {
        throw bad();
      }
      return fields;
    }

    private Object value() {
      char c = peek();
      if (c == '"') {
        return string();
      }
      for (String word : new String[] {"true", "false", "null"}) {
        if (s.startsWith(word, i)) {
          i += word.length();
          return word.equals("null") ? null : Boolean.valueOf(word);
        }
      }
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || (i == start && s.charAt(i) == '-'))) {
        i++;
      }
      try {
        return Long.parseLong(s.substring(start, i));
      } catch (NumberFormatException e) {
        throw bad();
      }
    }

    private String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (i < s.length()) {
        char c = s.charAt(i++);
        if (c == '"') {
          return out.toString();
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        if (i >= s.length()) {
          break;
        }
        char e = s.charAt(i++);
        switch (e) {
          case '"', '\\', '/' -> out.append(e);
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'u' -> {
            if (i + 4 > s.length()) {
              throw bad();
            }
            try {
              out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            } catch (NumberFormatException x) {
              throw bad();
            }
            i += 4;
          }
          default -> throw bad();
        }
      }
      throw bad();
    }

    private void expect(char c) {
      if (next() != c) {
        throw bad();
      }
    }

    private char next() {
      char c = peek();
      i++;
      return c;
    }

    private char peek() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      return i < s.length() ? s.charAt(i) : 0;
    }

    private IllegalArgumentException bad() {
      return new IllegalArgumentException("it is not a flat JSON object (at character " + i + ")");
    }
  }
}
