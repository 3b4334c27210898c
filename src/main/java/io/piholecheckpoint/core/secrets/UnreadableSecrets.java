package io.piholecheckpoint.core.secrets;

import io.piholecheckpoint.core.instance.PiholeInstance;
import java.util.Optional;

/**
 * Why an instance's secrets cannot be read where its settings say they are (a {@code _FILE} that is missing, unreadable,
 * no regular file, too large or empty), or empty. Asked at the start and when the instances change, so that such an
 * instance is marked misconfigured and left unscheduled, the others running, instead of being found out at its first
 * backup. The answer names the setting and the file, never a secret.
 */
@FunctionalInterface
public interface UnreadableSecrets {
  Optional<String> problemOf(PiholeInstance instance);
}
