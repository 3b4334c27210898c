package io.piholecheckpoint.persistence;

/** One setting of a destination added in Settings; {@code value} is sealed for a secret. */
record DestinationSettingRow(String destination, String suffix, String value) {
}
