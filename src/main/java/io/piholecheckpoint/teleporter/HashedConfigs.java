package io.piholecheckpoint.teleporter;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The last pihole.toml hashed into a content hash, so that the next one with the same bytes does not
 * pay SHA-256 over its ~67 kB again (under C1, which has no SHA intrinsic, the largest single item of
 * a backup's CPU). An unchanged Pi-hole exports the same file but for its "# Last updated" lines,
 * which {@link TeleporterInspector#hashConfig} leaves out of the hash.
 *
 * <p>Reused only when the digest fed before it is the same (the same archive so far) and the bytes are
 * equal to the last ones apart from whole lines that start with "# Last updated" in both and hold only
 * {@link TeleporterInspector#harmlessToLineEnd harmless} text: those lines are not hashed, so the bytes
 * hashed are the same and so is the digest after them, and so is the key of the text's parsed facts.
 * Anything else is hashed as before. Only what was hashed from the bytes with a key is remembered.
 */
final class HashedConfigs {
  /** @param keyWithoutEnd the key {@link TeleporterInspector#hashConfig} gave, without its last part (whether the text ends with a line feed) */
  private record Last(String before, byte[] bytes, MessageDigest after, String keyWithoutEnd) {
  }

  /** What pihole.toml's hashing leaves: the digest to go on with, and the key of its facts (or null). */
  record Hashed(MessageDigest digest, String key) {
  }

  private volatile Last last;

  /** Adds pihole.toml's part to {@code hash}, or gives a digest that holds what that would have given. */
  Hashed hash(byte[] bytes, String text, MessageDigest hash) {
    String before = TeleporterInspector.digestSoFar(hash);
    Last known = last;
    if (before != null && known != null && known.before.equals(before) && sameButLastUpdated(bytes, known.bytes)) {
      MessageDigest after = copy(known.after);
      if (after != null) {
        return new Hashed(after, known.keyWithoutEnd + endsWithLineFeed(bytes));
      }
    }
    String key = TeleporterInspector.hashConfig(bytes, text, hash);
    MessageDigest after = key == null || before == null ? null : copy(hash);
    if (after != null) {
      last = new Last(before, bytes.clone(), after, key.substring(0, key.length() - String.valueOf(endsWithLineFeed(bytes)).length()));
    }
    return new Hashed(hash, key);
  }

  private static boolean endsWithLineFeed(byte[] bytes) {
    return bytes.length > 0 && bytes[bytes.length - 1] == '\n';
  }

  /**
   * Equal but for lines that start with "# Last updated" in both, each harmless to its end in {@code now}
   * (those in {@code then} were, or it would not have been remembered). Both texts' lines start at
   * the same offsets up to the first difference, so that line is one line in both.
   */
  static boolean sameButLastUpdated(byte[] now, byte[] then) {
    int i = 0; // both at the start of a line
    int j = 0;
    while (true) {
      int m = Arrays.mismatch(now, i, now.length, then, j, then.length);
      if (m < 0) {
        return true;
      }
      int line = i + m;
      while (line > i && now[line - 1] != '\n') {
        line--;
      }
      int lineThen = j + (line - i);
      if (!TeleporterInspector.startsWith(now, line, TeleporterInspector.LAST_UPDATED)
          || !TeleporterInspector.startsWith(then, lineThen, TeleporterInspector.LAST_UPDATED)
          || !TeleporterInspector.harmlessToLineEnd(now, line + TeleporterInspector.LAST_UPDATED.length)) {
        return false;
      }
      i = Math.min(TeleporterInspector.next(now, line), now.length);
      j = Math.min(TeleporterInspector.next(then, lineThen), then.length);
    }
  }

  private static MessageDigest copy(MessageDigest digest) {
    try {
      return (MessageDigest) digest.clone();
    } catch (CloneNotSupportedException e) {
      return null;
    }
  }
}
