package io.piholecheckpoint.persistence;

/** A node's row in Quartz's QRTZ_SCHEDULER_STATE (times in ms), with the jobs it is executing. */
record NodeRow(String instanceName, long lastCheckinTime, long checkinInterval, int running) {
}
