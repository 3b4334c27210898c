package io.piholecheckpoint.core.instance;

import java.text.Normalizer;
import java.util.Locale;

/** File-name-safe forms of instance names: lowercase ASCII letters, digits and dashes only. */
public final class Slugs {
  private static final int MAX_LENGTH = 40;

  private Slugs() {
  }

  public static String of(String name) {
    String ascii = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
    String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
    if (slug.length() > MAX_LENGTH) {
      slug = slug.substring(0, MAX_LENGTH).replaceAll("-+$", "");
    }
    return slug.isEmpty() ? "pihole" : slug;
  }
}
