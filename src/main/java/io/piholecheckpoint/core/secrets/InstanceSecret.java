package io.piholecheckpoint.core.secrets;

import java.util.Optional;

/**
 * The secrets a Pi-hole added here keeps sealed, each with its form field and the words that name it: a secret sealed with
 * another FIELD_ENCRYPTION_KEY is named wherever it stops something (a backup, the instance's status, a change), since
 * the person must know which one to enter again.
 */
public enum InstanceSecret {
  PASSWORD("password", "password"),
  TOTP_SECRET("totpSecret", "TOTP secret");

  private final String field;
  private final String words;

  InstanceSecret(String field, String words) {
    this.field = field;
    this.words = words;
  }

  /** The form and API field of this secret. */
  public String field() {
    return field;
  }

  /** @throws SecretBox.SecretUnavailableException naming this secret and what to do */
  public String open(SecretBox box, String sealed) {
    try {
      return box.open(sealed);
    } catch (SecretBox.SecretUnavailableException e) {
      throw new SecretBox.SecretUnavailableException(unreadable());
    }
  }

  /** Why a stored value of this secret stops a change that leaves it as stored, or empty when it opens (or none is stored). */
  public Optional<String> unreadableIn(SecretBox box, String sealed) {
    try {
      if (sealed != null) {
        box.open(sealed);
      }
      return Optional.empty();
    } catch (SecretBox.SecretUnavailableException e) {
      return Optional.of(unreadable());
    }
  }

  private String unreadable() {
    return "its stored " + words + " was saved with another FIELD_ENCRYPTION_KEY, so it cannot be read: enter the " + words
        + " again (or - to remove it), or restore that key";
  }
}
