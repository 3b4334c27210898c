package io.piholecheckpoint.core.offsite.remote;

import java.time.Instant;

/**
 * An object at a destination.
 *
 * @param sha256 lower-case hex of its bytes as the destination has them; null where not read (listings)
 * @param modified when the destination last wrote it; null when it does not say
 */
public record RemoteObject(String key, long size, String sha256, Instant modified) {
}
