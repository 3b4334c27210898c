package io.piholecheckpoint.testing;

import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.InstanceRepository;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.schedule.FireTimes;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.core.secrets.SecretBox;
import io.piholecheckpoint.core.secrets.UnreadableSecrets;
import io.piholecheckpoint.scheduling.QuartzFireTimes;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Optional;

public final class TestInstances {
  private TestInstances() {
  }

  /** No instance with a secret file: every secret is sealed in the database, or given as a value. */
  public static final UnreadableSecrets NO_SECRET_FILES = instance -> Optional.empty();

  /** An InstanceService over an in-memory repository, sealing with an all-zero test key. */
  public static InstanceService service(InstanceRepository repository) {
    return new InstanceService(repository, new SecretBox(new byte[32]), fireTimes(), NO_SECRET_FILES);
  }

  /** The scheduler's own answer, in UTC from now: the validator in tests is the one in production. */
  public static FireTimes fireTimes() {
    return new QuartzFireTimes(ZoneOffset.UTC, Clock.systemUTC());
  }

  public static InstanceDefinition aDefinition(String prefix, String url) {
    return new InstanceDefinition(prefix, "Pi-hole " + prefix, url, TlsTrust.SYSTEM, null, Schedule.DEFAULT, RetentionPolicy.DEFAULT, false, true);
  }
}
