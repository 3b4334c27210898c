package io.piholecheckpoint.core.restore.parts;

import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.instance.PiholeInstance;

/**
 * Where a person changes a restore target's password and 2FA secret: its settings here ({@link #HERE}), or the environment
 * variables they are read from — the {@code _FILE} one when that is set, as it wins over the plain one, and its file is read
 * afresh for every backup, so changing the file needs no restart.
 *
 * @param password e.g. {@code PIHOLE_HOME_PASSWORD_FILE}; null for an instance made here
 * @param totpSecret e.g. {@code PIHOLE_HOME_TOTP_SECRET}; null for an instance made here
 * @param totpSecretSet whether a 2FA secret is configured now: there is nothing to remove or clear when none is
 */
public record SecretVariables(String password, String totpSecret, boolean totpSecretSet) {
  public static final SecretVariables HERE = new SecretVariables(null, null, true);

  /** The target's: named, never read. */
  public static SecretVariables of(ArchiveDownloader downloader, PiholeInstance target) {
    return new SecretVariables(downloader.secretVariable(target, "PASSWORD"), downloader.secretVariable(target, "TOTP_SECRET"),
        downloader.hasTotpSecret(target));
  }

  static boolean file(String variable) {
    return variable.endsWith("_FILE");
  }
}
