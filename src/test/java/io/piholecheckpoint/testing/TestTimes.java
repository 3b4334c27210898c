package io.piholecheckpoint.testing;

import io.piholecheckpoint.core.schedule.LocalTimeText;
import java.time.ZoneOffset;

/** The times of messages for people, for tests whose TIME_ZONE is not what they are about: UTC, as their clocks' instants. */
public final class TestTimes {
  public static final LocalTimeText UTC = new LocalTimeText(ZoneOffset.UTC);

  private TestTimes() {
  }
}
