package io.piholecheckpoint.testing;

import io.piholecheckpoint.core.backup.TlsTrust;
import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.Schedule;
import io.piholecheckpoint.core.retention.RetentionPolicy;

public final class TestInstances {
  private TestInstances() {
  }

  public static InstanceDefinition aDefinition(String prefix, String url) {
    return new InstanceDefinition(prefix, "Pi-hole " + prefix, url, TlsTrust.SYSTEM, null, Schedule.DEFAULT, RetentionPolicy.DEFAULT, false, true);
  }
}
