package io.piholecheckpoint.core.legacy;

/**
 * A row of the original's {@code backup_backuprecord} as stored, every column as text (null when
 * NULL); {@link OriginalRecords} reads it.
 */
public record OriginalRecord(long id, String configId, String fileName, String filePath, String checksum, String status, String errorMessage,
                             String manual, String createdAt) {
}
