package io.piholecheckpoint.core.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How an archive file of ours is named ({@code <slug>_<UTC stamp>_<random>.zip[.gpg]}) and how its
 * SHA-256 is taken: the same for every store, and for the integrity check that adopts files it finds.
 */
public final class ArchiveFiles {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  /** An instance's folder as Slugs makes it: no dot, no slash, so never a path out of BACKUP_DIR or the destination's root. */
  private static final Pattern FOLDER = Pattern.compile("[a-z0-9-]+");
  private static final Pattern FILE_NAME = Pattern.compile("([a-z0-9-]+)_\\d{8}T\\d{6}Z_[a-z0-9]+\\.zip(\\.gpg)?");
  /**
   * Pi-hole Checkpoint 1.x's names, {@code pihole_checkpoint_<name>_<YYYYMMDD>_<HHMMSS>_<8 hex>.zip}; its
   * {@code <name>} is the instance's name lower-cased, Python's word characters and dashes (no dot, no slash).
   */
  private static final Pattern ORIGINAL_NAME = Pattern.compile("pihole_checkpoint_[\\w-]+_\\d{8}_\\d{6}_[0-9a-f]{8}\\.zip",
      Pattern.UNICODE_CHARACTER_CLASS);
  private static final String RANDOM_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int BUFFER_BYTES = 64 * 1024;

  private ArchiveFiles() {
  }

  /**
   * The folder itself, checked where a file name or remote key is built from it: the stored column can be edited by hand, and
   * {@code ../../etc} would put an archive outside BACKUP_DIR. Rows are checked when read (the instance is then misconfigured
   * and never backed up); this is the second line.
   *
   * @throws IllegalArgumentException when it holds anything but lowercase ASCII letters, digits and dashes
   */
  public static String requireFolder(String folder) {
    if (folder == null || !FOLDER.matcher(folder).matches()) {
      throw new IllegalArgumentException("the instance's folder '" + folder + "' is not one Checkpoint makes (lowercase letters, digits"
          + " and dashes only): it was edited by hand — put the folder back in the instance table's slug column");
    }
    return folder;
  }

  /** Whether {@code folder} is one {@link #requireFolder} lets through. */
  public static boolean isFolder(String folder) {
    return folder != null && FOLDER.matcher(folder).matches();
  }

  /** A fresh name for a plain archive of the instance {@code slug} taken at {@code at}. */
  public static String newName(String slug, Instant at) {
    requireFolder(slug);
    StringBuilder suffix = new StringBuilder(6);
    for (int i = 0; i < 6; i++) {
      suffix.append(RANDOM_ALPHABET.charAt(RANDOM.nextInt(RANDOM_ALPHABET.length())));
    }
    return slug + "_" + STAMP.format(at) + "_" + suffix + ".zip";
  }

  /**
   * Whether a file name carries our naming, or that of Pi-hole Checkpoint 1.x whose history we
   * carry on; anything else in a store is not ours to touch.
   */
  public static boolean isOurs(String fileName) {
    return fileName != null && (FILE_NAME.matcher(fileName).matches() || isOriginal(fileName));
  }

  /** Whether a file name is one Pi-hole Checkpoint 1.x gave its archives. */
  public static boolean isOriginal(String fileName) {
    return fileName != null && ORIGINAL_NAME.matcher(fileName).matches();
  }

  /** The instance slug a file name of ours starts with; empty for the original's names, which carry no slug. */
  public static Optional<String> slugOf(String fileName) {
    var m = FILE_NAME.matcher(fileName);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  public static String sha256Of(Path file) throws IOException {
    MessageDigest sha256 = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[BUFFER_BYTES];
      for (int n; (n = in.read(buffer)) != -1; ) {
        sha256.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha256.digest());
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /**
   * What an I/O failure says, for a message: its own text, or its kind when it has none (an interrupted channel's
   * ClosedByInterruptException has no message, and "null" tells the user nothing).
   */
  public static String reason(Throwable e) {
    return e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage() : e.getClass().getSimpleName();
  }
}
