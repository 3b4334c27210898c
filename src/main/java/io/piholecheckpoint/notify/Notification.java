package io.piholecheckpoint.notify;

import java.time.Instant;

/**
 * One message: what happened, to which instance (null for app-wide news such as low disk space),
 * and what to do. Never holds a secret or archive contents.
 */
public record Notification(NotifyEvent event, String instance, String title, String message, Instant at) {
}
