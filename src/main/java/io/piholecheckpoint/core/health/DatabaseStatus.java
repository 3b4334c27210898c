package io.piholecheckpoint.core.health;

/** @param error what failed, or null when the database answered */
public record DatabaseStatus(boolean reachable, String schemaVersion, String error) {
}
