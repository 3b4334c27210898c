package io.piholecheckpoint.testing;

import io.piholecheckpoint.core.download.Pause;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A Pause that returns at once and remembers what it was asked to wait; it may move a MovableClock along. */
public final class RecordingPause implements Pause {
  private final List<Duration> pauses = new ArrayList<>();
  private final MovableClock clock;

  public RecordingPause(MovableClock clock) {
    this.clock = clock;
  }

  public RecordingPause() {
    this(null);
  }

  @Override
  public synchronized void pause(Duration duration) {
    pauses.add(duration);
    if (clock != null) {
      clock.advance(duration);
    }
  }

  public synchronized List<Duration> pauses() {
    return List.copyOf(pauses);
  }
}
