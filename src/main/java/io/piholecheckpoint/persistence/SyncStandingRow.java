package io.piholecheckpoint.persistence;

import java.time.Instant;

/** Where a replica stands in a group, as {@code SyncRunMapper.standings} reads it; public for MyBatis (see {@link RestoreRow}). */
public record SyncStandingRow(long replicaId, long lastId, Instant lastSuccessAt, Instant failingSince) {
}
