package io.piholecheckpoint.persistence;

/** One setting of a destination or a sync group added at run time; a destination's secret is sealed in {@code value}. */
record NamedSettingRow(String name, String suffix, String value) {
}
