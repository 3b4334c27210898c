package io.piholecheckpoint.app;

import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.secrets.Credentials;
import io.piholecheckpoint.core.secrets.UnreadableSecrets;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A standby contacts no Pi-hole: the secrets its environment has for the {@code PIHOLE_<P>_*} instances are not those the
 * process running the schedules applied them with (its password sent to the other's URL, the outcome stored for
 * everyone), so every log-in of a standby — Test, dry runs, previews against the live Pi-hole — answers 409 before any
 * secret is read or any status written. Nor does a secret file of its environment mark an instance the other process
 * schedules. Once it takes over, its own environment is applied and both hold again.
 */
final class StandbyGate {
  private final BooleanSupplier standby;
  private final Supplier<String> reason;

  /** @param reason why this process does not run the schedules (it names the other process), or null */
  StandbyGate(BooleanSupplier standby, Supplier<String> reason) {
    this.standby = standby;
    this.reason = reason;
  }

  Credentials credentials(Credentials secrets) {
    return new Credentials() {
      @Override
      public Optional<String> passwordFor(PiholeInstance instance) {
        requireActive(instance);
        return secrets.passwordFor(instance);
      }

      @Override
      public Optional<String> totpSecretFor(PiholeInstance instance) {
        requireActive(instance);
        return secrets.totpSecretFor(instance);
      }

      @Override
      public String variableOf(PiholeInstance instance, String field) {
        return secrets.variableOf(instance, field); // a name, no secret: a standby may say it
      }
    };
  }

  UnreadableSecrets unreadable(UnreadableSecrets secrets) {
    return instance -> standby.getAsBoolean() ? Optional.empty() : secrets.problemOf(instance);
  }

  private void requireActive(PiholeInstance instance) {
    if (standby.getAsBoolean()) {
      String why = reason.get();
      throw new BackupConflictException(("Pi-hole '%s' is not contacted from here: this process is a standby%s; test it, preview or"
          + " restore from the Pi-hole Checkpoint process that runs the schedules (it logs in with the secrets the instances run with)")
          .formatted(instance.name(), why == null ? "" : " (" + why + ")"));
    }
  }
}
