package io.piholecheckpoint.app;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * any other text is hashed with SHA-256 into a key.
 *
 * @param source where the key came from, for the settings page (never the key itself)
 */
record FieldEncryptionKey(byte[] key, String source) {
  static final String FILE_NAME = "field-encryption.key";

  static FieldEncryptionKey load(Map<String, String> env, Path dataDir) {
    String file = env.get("FIELD_ENCRYPTION_KEY_FILE");
    if (file != null && !file.isBlank()) {
      return new FieldEncryptionKey(derive(read(Path.of(file.trim()), "FIELD_ENCRYPTION_KEY_FILE")), "FIELD_ENCRYPTION_KEY_FILE (" + file.trim() + ")");
    }
    String value = env.get("FIELD_ENCRYPTION_KEY");
    if (value != null && !value.isBlank()) {
      return new FieldEncryptionKey(derive(value.trim()), "FIELD_ENCRYPTION_KEY");
    }
    Path generated = dataDir.resolve(FILE_NAME);
    if (!Files.exists(generated)) {
      generate(generated);
    }
    return new FieldEncryptionKey(derive(read(generated, "the generated key file")), "generated, in " + generated);
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

  private static String read(Path file, String what) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new AppConfig.ConfigException("cannot read " + what + " " + file + ": " + e.getMessage());
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
