package io.piholecheckpoint.persistence;

/** One setting of a sync group added in the UI. */
record SyncGroupSettingRow(String syncGroup, String suffix, String value) {
}
