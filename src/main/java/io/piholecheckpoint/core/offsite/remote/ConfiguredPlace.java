package io.piholecheckpoint.core.offsite.remote;

/**
 * Where a destination that is not in use was set to write, as pages and the API show it. It has no
 * opened client to describe itself, and its URL is one the rules refused, so it may hold what never
 * belongs in one: a password in its user part, a query or a fragment (a signed link's token). Those
 * are left out; the rest says which setting to look at.
 */
public final class ConfiguredPlace {
  /** A URL longer than the rules allow is refused for it; the page shows enough to recognise it. */
  static final int SHOWN_LENGTH = 200;

  private ConfiguredPlace() {
  }

  /**
   * The URL without a password, query or fragment (and, for S3, without its access key ID), cut at {@value #SHOWN_LENGTH}
   * characters; null for none.
   */
  public static String of(String url) {
    if (url == null || url.isBlank()) {
      return null;
    }
    String place = url.strip();
    int scheme = place.indexOf("://");
    int start = scheme < 0 ? 0 : scheme + 3;
    int firstAt = place.indexOf('@', start);
    int colon = firstAt < 0 ? -1 : place.indexOf(':', start);
    if (colon >= 0 && colon < firstAt) {
      // user:password@host, first: the password may hold '/', '?', '#' or '@' as typed, so it runs to the last '@'
      // (a path with one loses some of its start here, which only shows less)
      place = place.substring(0, colon) + place.substring(place.lastIndexOf('@'));
    }
    if (place.startsWith("s3")) {
      // an S3 URL's user part is the access key ID: half of a credential, never shown (SFTP's and WebDAV's is a user name)
      int host = indexOfAny(place.substring(start), "/?#");
      int at = place.lastIndexOf('@', host < 0 ? place.length() : start + host);
      if (at >= start) {
        place = place.substring(0, start) + place.substring(at + 1);
      }
    }
    int cut = indexOfAny(place, "?#");
    if (cut >= 0) {
      place = place.substring(0, cut);
    }
    return place.length() > SHOWN_LENGTH ? place.substring(0, SHOWN_LENGTH) + "…" : place;
  }

  private static int indexOfAny(String text, String chars) {
    for (int i = 0; i < text.length(); i++) {
      if (chars.indexOf(text.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }
}
