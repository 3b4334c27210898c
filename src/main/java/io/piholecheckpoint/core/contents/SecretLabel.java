package io.piholecheckpoint.core.contents;

/** A change of one secret setting in the words of someone choosing a backup: "2FA enabled", "password changed". */
final class SecretLabel {
  private SecretLabel() {
  }

  /** @param wasSet whether the older archive held a value, @param isSet the newer; never both false */
  static String of(String key, boolean wasSet, boolean isSet) {
    if (key.endsWith("totp_secret")) {
      return !wasSet ? "2FA enabled" : !isSet ? "2FA disabled" : "2FA secret changed";
    }
    return subject(key) + (!wasSet ? " set" : !isSet ? " removed" : " changed");
  }

  private static String subject(String key) {
    if (key.endsWith("app_pwhash")) {
      return "app password";
    }
    if (key.equals("webserver.api.pwhash") || key.equals("webserver.api.password")) {
      return "password";
    }
    return "secret setting " + key;
  }
}
