package io.piholecheckpoint.persistence;

/** @param earliest epoch milliseconds, null when no trigger of the group fires again */
record TriggerSummaryRow(int jobs, Long earliest) {
}
