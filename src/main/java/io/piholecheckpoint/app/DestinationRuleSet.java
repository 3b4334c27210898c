package io.piholecheckpoint.app;

import io.piholecheckpoint.core.destination.DestinationRules;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The rules of {@link OffsiteSettings}, for the destinations added in Settings: checked against the environment this process started with. */
final class DestinationRuleSet implements DestinationRules {
  private final Map<String, String> env;
  private final boolean passphraseSet;
  private final List<Path> ownFolders;
  private final Set<String> environmentNames;
  private final SftpHomes homes;

  DestinationRuleSet(Map<String, String> env, boolean passphraseSet, List<Path> ownFolders) {
    this(env, passphraseSet, ownFolders, new SftpHomes());
  }

  /** @param homes the SFTP homes learned at connections, shared with the environment's destinations */
  DestinationRuleSet(Map<String, String> env, boolean passphraseSet, List<Path> ownFolders, SftpHomes homes) {
    this.homes = homes;
    this.env = env;
    this.passphraseSet = passphraseSet;
    this.ownFolders = ownFolders;
    this.environmentNames = OffsiteSettings.names(env);
  }

  @Override
  public Resolved resolve(List<Plain> destinations) {
    return OffsiteSettings.readManaged(env, passphraseSet, ownFolders, destinations, homes);
  }

  @Override
  public boolean inEnvironment(String name) {
    return environmentNames.contains(name);
  }
}
