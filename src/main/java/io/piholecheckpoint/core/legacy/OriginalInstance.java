package io.piholecheckpoint.core.legacy;

/**
 * A row of the original's {@code backup_piholeconfig} as stored, every column as text (null when
 * absent or NULL): the original's database is input to check, not to trust.
 */
public record OriginalInstance(long id, String name, String frequency, String time, String day, String maxBackups, String maxAgeDays,
                               String active, String envPrefix) {
}
