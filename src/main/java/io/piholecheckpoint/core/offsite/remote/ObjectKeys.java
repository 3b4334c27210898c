package io.piholecheckpoint.core.offsite.remote;

/** The keys the core gives a destination: relative, slash-separated, no way out of the prefix. */
public final class ObjectKeys {
  private ObjectKeys() {
  }

  /** @throws IllegalArgumentException when the key could name something outside the destination's prefix */
  public static String requireSafe(String key) {
    if (key.isEmpty() || key.length() > 512 || key.startsWith("/") || key.endsWith("/") || key.contains("\\")) {
      throw new IllegalArgumentException("not an object key: " + key);
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("not an object key: " + key);
      }
    }
    for (int i = 0; i < key.length(); i++) {
      if (key.charAt(i) < 0x20 || key.charAt(i) == 0x7f) {
        throw new IllegalArgumentException("not an object key (control character): " + key.replaceAll("\\p{Cntrl}", "?"));
      }
    }
    return key;
  }
}
