package io.piholecheckpoint.core.secrets;

import io.piholecheckpoint.core.instance.InstanceRepository;
import io.piholecheckpoint.core.instance.PiholeInstance;
import java.util.Optional;

/**
 * Secrets of every instance: environment instances from their variables, UI instances from the
 * database, where they are sealed with the field encryption key.
 */
public final class InstanceCredentials implements Credentials {
  private final Credentials environment;
  private final InstanceRepository repository;
  private final SecretBox box;

  public InstanceCredentials(Credentials environment, InstanceRepository repository, SecretBox box) {
    this.environment = environment;
    this.repository = repository;
    this.box = box;
  }

  @Override
  public Optional<String> passwordFor(PiholeInstance instance) {
    return instance.fromEnvironment() ? environment.passwordFor(instance)
        : repository.findSecrets(instance.id()).map(InstanceRepository.SealedSecrets::password)
            .map(sealed -> InstanceSecret.PASSWORD.open(box, sealed));
  }

  @Override
  public String variableOf(PiholeInstance instance, String field) {
    return instance.fromEnvironment() ? environment.variableOf(instance, field) : null;
  }

  @Override
  public Optional<String> totpSecretFor(PiholeInstance instance) {
    return instance.fromEnvironment() ? environment.totpSecretFor(instance)
        : repository.findSecrets(instance.id()).map(InstanceRepository.SealedSecrets::totpSecret)
            .map(sealed -> InstanceSecret.TOTP_SECRET.open(box, sealed));
  }
}
