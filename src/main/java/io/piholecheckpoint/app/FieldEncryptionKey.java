package io.piholecheckpoint.app;

import io.piholecheckpoint.core.files.OwnedPaths;
import io.piholecheckpoint.core.files.SecretFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The AES-256 key that seals the secrets of UI-created instances: FIELD_ENCRYPTION_KEY (or
 * _FILE), else a key generated once into DATA_DIR. A base64 value of 32 bytes is used as is;
 * any other text is hashed with SHA-256 into a key. An empty file, and a generated file that holds
 * anything but the key Checkpoint wrote, stop the start: a key derived from it would seal new
 * secrets with a key nobody has, while every secret sealed before stays unreadable.
 *
 * @param source where the key came from, for the settings page (never the key itself)
 */
record FieldEncryptionKey(byte[] key, String source) {
  static final String FILE_NAME = "field-encryption.key";

  static FieldEncryptionKey load(Map<String, String> env, Path dataDir) {
    return key(env, dataDir, true);
  }

  /**
   * Reads the key as {@link #load} does, but makes none: AppConfig checks it with the other settings before the start writes
   * anything, so an empty key file or a folder in its place is named in the one refusal line with every other bad setting.
   */
  static void check(Map<String, String> env, Path dataDir) {
    key(env, dataDir, false);
  }

  /** @return the key, or null when none is there yet and {@code generate} is false */
  private static FieldEncryptionKey key(Map<String, String> env, Path dataDir, boolean generate) {
    String file = env.get("FIELD_ENCRYPTION_KEY_FILE");
    if (file != null && !file.isBlank()) {
      Path path = Path.of(file.trim());
      String text = read(path, "FIELD_ENCRYPTION_KEY_FILE=" + path, true);
      if (text.isEmpty()) {
        // said so that it is true on a new DATA_DIR too, where nothing was sealed yet and any key will do
        throw new AppConfig.ConfigException(("FIELD_ENCRYPTION_KEY_FILE=%s is empty: it must hold the key that seals the passwords of the"
            + " Pi-holes added in the UI — put the key used so far into the file (passwords already sealed open only with it), or, if"
            + " none was sealed yet, a new one (base64 of 32 bytes, e.g. from openssl rand -base64 32, or a passphrase)").formatted(path));
      }
      return new FieldEncryptionKey(derive(text), "FIELD_ENCRYPTION_KEY_FILE (" + file.trim() + ")");
    }
    String value = env.get("FIELD_ENCRYPTION_KEY");
    if (value != null && !value.isBlank()) {
      return new FieldEncryptionKey(derive(value.trim()), "FIELD_ENCRYPTION_KEY");
    }
    Path generated = dataDir.resolve(FILE_NAME);
    if (Files.isSymbolicLink(generated)) {
      throw linked(generated);
    }
    if (!Files.exists(generated, LinkOption.NOFOLLOW_LINKS)) {
      if (!generate) {
        return null;
      }
      generate(generated);
    }
    return new FieldEncryptionKey(generated(generated, read(generated, "the generated key file " + generated, false)), "generated, in " + generated);
  }

  /** The key Checkpoint wrote into the file: base64 of 32 bytes, nothing else, never a key derived from whatever is there instead. */
  private static byte[] generated(Path file, String text) {
    String wrong;
    if (text.isEmpty()) {
      wrong = "is empty";
    } else {
      try {
        byte[] key = Base64.getDecoder().decode(text);
        if (key.length == 32) {
          return key;
        }
        wrong = "holds " + key.length + " bytes of base64, not the 32 of the key Checkpoint wrote there";
      } catch (IllegalArgumentException e) {
        wrong = "does not hold the key Checkpoint wrote there (32 bytes in base64)";
      }
    }
    throw new AppConfig.ConfigException(("%s %s. It seals the passwords of the Pi-holes added in the UI, and those sealed before can only"
        + " be opened with the original key — put the original file back from a backup of DATA_DIR; if the key is lost, delete the file"
        + " (a new key is made at the next start) and type those passwords in again in the UI").formatted(file, wrong));
  }

  /**
   * A link in place of the generated key is refused, whether it points at a key or nowhere: one that points nowhere (a
   * volume not mounted, a file moved) would be replaced by a new key that opens none of the passwords sealed so far.
   */
  private static AppConfig.ConfigException linked(Path file) {
    String target = OwnedPaths.linkTarget(file);
    return new AppConfig.ConfigException(("%s is a symbolic link (to %s): Checkpoint reads and makes its generated key only as a file of its"
        + " own — to keep the key elsewhere, set FIELD_ENCRYPTION_KEY_FILE=%s and remove the link (rm %s); if what it pointed to is gone,"
        + " put the key back from a backup of DATA_DIR: the passwords sealed so far can only be opened with it").formatted(file, target, target, file));
  }

  private static byte[] derive(String text) {
    try {
      byte[] decoded = Base64.getDecoder().decode(text);
      if (decoded.length == 32) {
        return decoded;
      }
    } catch (IllegalArgumentException e) {
      // not base64: a passphrase
    }
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static String read(Path file, String what, boolean followLinks) {
    try {
      return SecretFiles.read(file, what, SecretFiles.SECRET, followLinks, StandardCharsets.UTF_8).strip();
    } catch (OwnedPaths.Unusable e) {
      throw new AppConfig.ConfigException(e.getMessage());
    } catch (IOException e) {
      throw new AppConfig.ConfigException("cannot read " + what + ": " + SecretFiles.why(e));
    }
  }

  /** Written like an archive: a temporary file with mode 0600, fsynced, renamed. */
  private static void generate(Path file) {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    try {
      Path temp = Files.createTempFile(file.getParent(), ".key-", ".part", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(temp, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.UTF_8);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new AppConfig.ConfigException("cannot write the field encryption key to " + file + ": " + e.getMessage() + " — check that DATA_DIR is writable");
    }
  }

  @Override
  public String toString() {
    return "FieldEncryptionKey[" + source + "]";
  }
}
