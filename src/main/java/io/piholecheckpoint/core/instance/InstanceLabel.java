package io.piholecheckpoint.core.instance;

import io.piholecheckpoint.core.units.LogText;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * How a log line names an instance it knows only by its id (a Quartz job's data, a run's marker): by its name, as every other
 * line does ("Pi-hole 'Office'"), so that nobody has to look a number up to know which Pi-hole a line is about. Only when no
 * name can be read (deleted since, or the database out of reach, which is often why the line is written) its number:
 * "Pi-hole #7". Read when the line is written, so a line below the log level costs no lookup.
 */
public final class InstanceLabel {
  private final long id;
  private final LongFunction<Optional<PiholeInstance>> lookUp;

  private InstanceLabel(long id, LongFunction<Optional<PiholeInstance>> lookUp) {
    this.id = id;
    this.lookUp = lookUp;
  }

  /** A log argument naming the instance, looked up with {@code lookUp} (empty for an instance that is gone). */
  public static Object of(long id, LongFunction<Optional<PiholeInstance>> lookUp) {
    return new InstanceLabel(id, lookUp);
  }

  /** A log argument naming an instance already read. */
  public static String of(PiholeInstance instance) {
    return "Pi-hole '" + LogText.escape(instance.name()) + "'";
  }

  @Override
  public String toString() {
    try {
      return lookUp.apply(id).map(InstanceLabel::of).orElse("Pi-hole #" + id);
    } catch (RuntimeException e) {
      return "Pi-hole #" + id; // the line is worth more than the name: it is often about the database that failed this read
    }
  }
}
