package io.piholecheckpoint.core.contents;

/**
 * One field of an item that two archives both hold, with different values: "comment", "enabled",
 * "groups", … and its value before and after, as a person reads it ("yes", "no", group names).
 */
public record FieldChange(String field, String before, String after) {
}
