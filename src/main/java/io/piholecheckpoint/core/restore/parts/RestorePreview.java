package io.piholecheckpoint.core.restore.parts;

import java.util.Optional;
import io.piholecheckpoint.core.contents.ArchiveContents;
import io.piholecheckpoint.core.contents.ArchiveSettings;
import io.piholecheckpoint.core.contents.ContentDiff;
import java.util.List;
import java.util.Map;

/**
 * What a restore would change on its target, and what a person must know before starting it:
 * that the Pi-hole's password or 2FA will become the backup's (or, in a mode that keeps them, that
 * they differ and stay as they are).
 *
 * @param changes from the target now to the state the restore intends
 * @param warnings one sentence each, to show before the changes
 */
public record RestorePreview(ContentDiff changes, List<String> warnings) {

  public static RestorePreview of(ContentDiff changes, ArchiveSettings now, ArchiveSettings backup, RestoreParts parts) {
    return of(changes, now, backup, parts, SecretVariables.HERE);
  }

  /** @param where the variables a target defined by the environment reads its password and 2FA secret from; not its settings page */
  public static RestorePreview of(ContentDiff changes, ArchiveSettings now, ArchiveSettings backup, RestoreParts parts, SecretVariables where) {
    if (parts.identity()) {
      List<String> warnings = new java.util.ArrayList<>();
      if (!(parts.localDns() && parts.settings())) {
        warnings.add(WHOLE_CONFIG);
      }
      changes.settings().stream().filter(ContentDiff.SettingChange::secret).map(c -> warning(c, where)).forEach(warnings::add);
      return new RestorePreview(changes, List.copyOf(warnings));
    }
    List<String> differing = ContentDiff.of(Map.of(), now, backup, 0).settings().stream().filter(ContentDiff.SettingChange::secret)
        .map(ContentDiff.SettingChange::note).toList();
    return new RestorePreview(changes, differing.isEmpty() ? List.of()
        : List.of("The backup's secrets differ from the Pi-hole's (" + String.join(", ", differing)
            + "); this mode keeps the Pi-hole's own. Choose \"exact\" to bring back the backup's."));
  }

  /** Said when identity is ticked without local DNS and settings: they come with it all the same. */
  static final String WHOLE_CONFIG = "Identity is the Pi-hole's whole pihole.toml: Teleporter cannot import part of it, so every setting and the"
      + " local DNS records and CNAMEs become the backup's too, whether or not they are ticked.";

  /**
   * Where the Pi-hole's new password goes, said the same way by the preview and by the restore's
   * outcome: an instance defined by the environment has no settings to enter it in, only its variables.
   */
  public static String newPassword(SecretVariables where) {
    return passwordAdvice(where).said();
  }

  /** Where the backup's 2FA secret goes once the Pi-hole asks for codes, said alike by the preview and the outcome. */
  public static String newTotpSecret(SecretVariables where) {
    return totpAdvice(where).said();
  }

  /** What to do, and (for a {@code _FILE} variable) why no restart is needed: the preview puts "afterwards" between them. */
  private record Advice(String action, String note) {
    String said() {
      return action + note;
    }

    String afterwards() {
      return action + " afterwards" + note + ".";
    }
  }

  private static final String NO_RESTART = " (it is read afresh for every backup: no restart needed)";

  private static Advice passwordAdvice(SecretVariables where) {
    String variable = where.password();
    return variable == null ? new Advice("enter that one in its settings here", "")
        : SecretVariables.file(variable) ? new Advice("write it to the file that " + variable + " names", NO_RESTART)
        : new Advice("set " + variable + " to it and restart Pi-hole Checkpoint", "");
  }

  private static Advice totpAdvice(SecretVariables where) {
    String variable = where.totpSecret();
    return variable == null ? new Advice("enter the backup's 2FA secret as its TOTP secret in its settings here", "")
        : SecretVariables.file(variable) ? new Advice("write the backup's 2FA secret to the file that " + variable + " names", NO_RESTART)
        : new Advice("set " + variable + " to the backup's 2FA secret and restart Pi-hole Checkpoint", "");
  }

  /**
   * Once the Pi-hole no longer asks for codes: a secret file may not be empty, so its variable goes. None when no secret is
   * configured (outsider 45: told to remove a variable that was not set).
   */
  private static Optional<Advice> noTotpAdvice(SecretVariables where) {
    String variable = where.totpSecret();
    return !where.totpSecretSet() ? Optional.empty()
        : Optional.of(new Advice(variable == null ? "clear its TOTP secret in its settings here" : "remove " + variable + " and restart Pi-hole Checkpoint", ""));
  }

  /** From the target's point of view: what it will ask for after the restore. */
  private static String warning(ContentDiff.SettingChange change, SecretVariables where) {
    boolean cleared = ArchiveContents.UNSET.equals(change.after());
    String key = change.key();
    if (key.endsWith("totp_secret")) {
      String env = (cleared ? noTotpAdvice(where) : Optional.of(totpAdvice(where))).map(a -> " " + capitalized(a.afterwards())).orElse("");
      return (cleared ? "2FA will be switched off on the Pi-hole, as it was when the backup was taken."
          : ArchiveContents.UNSET.equals(change.before()) ? "2FA will be switched on: the Pi-hole will ask for codes from the authenticator set up when the backup was taken."
          : "The 2FA secret will become the backup's: codes from the authenticator in use now will stop working.") + env;
    }
    if (key.endsWith("app_pwhash")) {
      return cleared ? "The app password will be removed: apps that sign in with it will stop working."
          : "The app password will become the backup's: apps that sign in with the current one will stop working.";
    }
    if (key.equals("webserver.api.pwhash") || key.equals("webserver.api.password")) {
      return cleared ? "The Pi-hole will have no password, as when the backup was taken."
          : "The Pi-hole's password will become the one it had when the backup was taken: " + passwordAdvice(where).afterwards();
    }
    return "The backup's " + key + " will replace the Pi-hole's (" + change.note() + ").";
  }

  private static String capitalized(String sentence) {
    return Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1);
  }
}
