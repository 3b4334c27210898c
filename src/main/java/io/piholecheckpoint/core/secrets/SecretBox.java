package io.piholecheckpoint.core.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts the secrets of UI-created instances at rest with AES-256-GCM. Each value gets its
 * own random 96-bit nonce; the stored form is {@code v1:<base64(nonce ‖ ciphertext ‖ tag)>}.
 */
public final class SecretBox {
  private static final String PREFIX = "v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  /** @param key 32 bytes */
  public SecretBox(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("an AES-256 key has 32 bytes, not " + key.length);
    }
    this.key = new SecretKeySpec(key, "AES");
  }

  public String seal(String plaintext) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the Java runtime offers no AES-GCM", e);
    }
  }

  /** @throws SecretUnavailableException when the value was sealed with another key, or is damaged */
  public String open(String sealed) {
    try {
      if (!sealed.startsWith(PREFIX)) {
        throw new SecretUnavailableException("the stored secret has an unknown format");
      }
      byte[] bytes = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
      return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new SecretUnavailableException("the stored secret cannot be decrypted with the current FIELD_ENCRYPTION_KEY"
          + " — it was saved with another key: restore that key, or enter the secret again");
    }
  }

  /** A secret that is stored but cannot be read back. */
  public static class SecretUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SecretUnavailableException(String message) {
      super(message);
    }
  }
}
