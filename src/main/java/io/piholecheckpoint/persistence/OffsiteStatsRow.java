package io.piholecheckpoint.persistence;

import java.time.Instant;

/** One destination's queue in numbers; public for MyBatis's constructor call, as RestoreRow. */
public record OffsiteStatsRow(String destination, long pending, Instant oldestPendingSince, long awaitingReadBack, long givenUp, Instant lastVerifiedAt, Instant failingSince,
                              String lastError) {
}
