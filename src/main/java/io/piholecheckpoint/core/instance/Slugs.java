package io.piholecheckpoint.core.instance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * File-name-safe forms of instance names: lowercase ASCII letters, digits and dashes only; and the folder each instance's
 * off-site copies (and archive file names) get, which is its own.
 */
public final class Slugs {
  private static final int MAX_LENGTH = 40;
  private static final String NO_LATIN = "pihole";

  private Slugs() {
  }

  /**
   * The readable form of a name; {@code pihole} for a name without a Latin letter or digit. Two names can have the same one
   * ({@code Küche} and {@code Kuche}; every Cyrillic or Chinese name): it is where every build before the folders were made
   * unique put an instance's copies, never a folder of its own.
   */
  public static String of(String name) {
    String slug = readable(name);
    return slug.isEmpty() ? NO_LATIN : slug;
  }

  /**
   * The folder a new instance named {@code name} gets, none of {@code taken} (the folders every stored instance holds, removed
   * ones too: their copies stay). Its readable slug where it has one, else {@code pihole-} and six hex digits of its name's
   * SHA-256 (so that two names without Latin letters get two folders whichever is added first, on any install); then
   * {@code -2}, {@code -3}… until free. Chosen once, when the instance is stored: a rename keeps it, so copies are never orphaned.
   */
  public static String folderFor(String name, Set<String> taken) {
    String base = base(name);
    String folder = base;
    for (int n = 2; taken.contains(folder); n++) {
      folder = base + "-" + n;
    }
    return folder;
  }

  /**
   * Whether {@code folder} is one the folder rule can give an instance named {@code name}: its readable slug (where every build
   * before put it), a {@link #folderFor} form of it, or the {@code <slug>--<id>} an upgrade gave the later of two instances that
   * shared one (migration 20261214010000). A renamed instance's folder is of its earlier name: not one of these.
   */
  public static boolean couldBeFolderOf(String name, String folder) {
    return folder.equals(of(name)) || folder.matches(Pattern.quote(base(name)) + "(-[0-9]+)?")
        || folder.matches(Pattern.quote(of(name)) + "--[0-9]+");
  }

  /** The folder {@link #folderFor} starts from: the readable slug, else {@code pihole-} and the name's short hash. */
  private static String base(String name) {
    String slug = readable(name);
    return slug.isEmpty() ? NO_LATIN + "-" + shortHash(name) : slug;
  }

  private static String readable(String name) {
    String ascii = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
    String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
    if (slug.length() > MAX_LENGTH) {
      slug = slug.substring(0, MAX_LENGTH).replaceAll("-+$", "");
    }
    return slug;
  }

  /** Of the form names are compared in (InstanceNames#key): two spellings of one name get one folder. */
  private static String shortHash(String name) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(InstanceNames.key(name).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 3);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
