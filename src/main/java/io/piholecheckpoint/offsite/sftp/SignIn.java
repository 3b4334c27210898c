package io.piholecheckpoint.offsite.sftp;

import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * How the destination signs in: a password, or a private key file (OpenSSH or PEM, passphrase
 * optional). The key is read once, when the destination is configured, so a wrong path or
 * passphrase is refused with the variable's name before any copy is tried.
 */
record SignIn(String password, List<KeyPair> keys) {
  static final String PASSWORD = "PASSWORD";
  static final String PRIVATE_KEY_FILE = "PRIVATE_KEY_FILE";
  static final String PRIVATE_KEY_PASSPHRASE = "PRIVATE_KEY_PASSPHRASE";
  /** The key's text itself, as pasted in Settings (the environment names a file instead). */
  static final String PRIVATE_KEY = "PRIVATE_KEY";

  static SignIn from(DestinationConfig config) {
    var password = config.option(PASSWORD);
    var keyFile = config.option(PRIVATE_KEY_FILE).map(String::strip);
    var keyText = config.option(PRIVATE_KEY);
    if (password.isEmpty() && keyFile.isEmpty() && keyText.isEmpty()) {
      throw new IllegalArgumentException("set " + config.variable(PRIVATE_KEY_FILE) + " (a private key the server's authorized_keys lists) or "
          + config.variable(PASSWORD) + " for the SFTP server");
    }
    List<KeyPair> keys = new ArrayList<>();
    if (keyFile.isPresent()) {
      Path path = Path.of(keyFile.get());
      String passphrase = config.option(PRIVATE_KEY_PASSPHRASE).orElse(null);
      try (InputStream in = Files.newInputStream(path)) {
        SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(path.toString()), in, FilePasswordProvider.of(passphrase))
            .forEach(keys::add);
      } catch (IOException | GeneralSecurityException | RuntimeException e) {
        // the library's message may quote the file's lines or say nothing useful: name what to fix instead
        throw new IllegalArgumentException(config.variable(PRIVATE_KEY_FILE) + " (" + path + ") could not be read as a private key"
            + (passphrase == null ? " (if it is encrypted, set " + config.variable(PRIVATE_KEY_PASSPHRASE) + ")"
                : "; check " + config.variable(PRIVATE_KEY_PASSPHRASE))
            // a missing or unreadable file says so; a parser's own failure (even a NullPointerException on text that is no key) does not help
            + (e instanceof IOException && !(e instanceof java.io.StreamCorruptedException) ? ": " + e.getClass().getSimpleName() : ""));
      }
      if (keys.isEmpty()) {
        throw new IllegalArgumentException(config.variable(PRIVATE_KEY_FILE) + " (" + path + ") holds no private key");
      }
    }
    keyText.ifPresent(text -> keys.addAll(pasted(config, text)));
    return new SignIn(password.orElse(null), keys);
  }

  /** A key pasted in Settings: its text is a secret, so no message quotes it, nor the parser's words about it. */
  private static List<KeyPair> pasted(DestinationConfig config, String text) {
    String passphrase = config.option(PRIVATE_KEY_PASSPHRASE).orElse(null);
    List<KeyPair> keys = new ArrayList<>();
    try (InputStream in = new ByteArrayInputStream((text.strip() + "\n").getBytes(StandardCharsets.UTF_8))) {
      SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName("pasted key"), in, FilePasswordProvider.of(passphrase)).forEach(keys::add);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      keys.clear();
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(config.variable(PRIVATE_KEY) + " is not a private key that can be read: paste the whole file, from -----BEGIN to END-----"
          + (passphrase == null ? " (if it is encrypted, give " + config.variable(PRIVATE_KEY_PASSPHRASE) + ")" : ", and check " + config.variable(PRIVATE_KEY_PASSPHRASE)));
    }
    return keys;
  }

  @Override
  public String toString() {
    return "SignIn[" + (password != null ? "password" : "") + (keys.isEmpty() ? "" : " " + keys.size() + " key(s)") + "]";
  }
}
