package io.piholecheckpoint.core.backup;

/** A Teleporter archive that has been verified, fsynced and moved to its final name. */
public record StoredArchive(String fileName, long sizeBytes, String sha256) {
}
