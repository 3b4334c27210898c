package io.piholecheckpoint.core.probe;

import io.piholecheckpoint.core.offsite.remote.DestinationException;
import java.time.Duration;
import java.time.Instant;

/**
 * What a Test of a destination found.
 *
 * @param step the step that failed ({@code write}, {@code read back}, {@code delete}, {@code check the deletion}), null when it passed
 * @param problem why, as the destination said it; null when it passed
 * @param message what happened, in words a user can act on (never a secret)
 */
public record TestOutcome(String destination, Instant at, boolean ok, String step, DestinationException.Problem problem, String message,
                          Duration took) {
}
