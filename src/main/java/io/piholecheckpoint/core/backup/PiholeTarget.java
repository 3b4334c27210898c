package io.piholecheckpoint.core.backup;

import java.util.Optional;

/** Where and how to reach a Pi-hole for one job. */
public record PiholeTarget(String name, String url, boolean verifyTls, Optional<String> password) {

  /** Keeps the password out of logs and exception messages. */
  @Override
  public String toString() {
    return "PiholeTarget[name=%s, url=%s, verifyTls=%s, password=%s]"
        .formatted(name, url, verifyTls, password.isPresent() ? "(set)" : "(none)");
  }
}
