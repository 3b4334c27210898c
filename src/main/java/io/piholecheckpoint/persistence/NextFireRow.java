package io.piholecheckpoint.persistence;

/** A job of Quartz's QRTZ_TRIGGERS with the earliest next fire time of its triggers (ms; null when none fires again). */
record NextFireRow(String jobName, Long nextFireTime) {
}
