package io.piholecheckpoint.core.units;

import java.util.Optional;
import java.util.function.Predicate;

/** What a failure wraps: the driver's own exception under the layers of MyBatis, a pool or a command around it. */
public final class Causes {
  private Causes() {
  }

  /** The outermost of {@code failure} and its causes that is a {@code type} and passes {@code test}. */
  public static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type, Predicate<? super T> test) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t) && test.test(type.cast(t))) {
        return Optional.of(type.cast(t));
      }
    }
    return Optional.empty();
  }

  public static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
    return find(failure, type, t -> true);
  }

  /** The message of the innermost cause: what the driver said. */
  public static String innermostMessage(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
