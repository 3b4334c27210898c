package io.piholecheckpoint.testing;

import org.junit.jupiter.api.BeforeEach;

/** The in-memory repositories the core's tests use keep the same contract as the MyBatis ones. */
class InMemoryRepositoriesTest extends RepositoryContract {
  private InMemoryInstanceRepository instances;
  private InMemoryBackupRepository backups;

  @BeforeEach
  void empty() {
    instances = new InMemoryInstanceRepository();
    backups = new InMemoryBackupRepository();
  }

  @Override
  protected InMemoryInstanceRepository instances() {
    return instances;
  }

  @Override
  protected InMemoryBackupRepository backups() {
    return backups;
  }
}
