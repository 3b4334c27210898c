package io.piholecheckpoint.web;

import io.piholecheckpoint.core.archive.ArchiveBusyException;
import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.core.backup.BackupConflictException;
import io.piholecheckpoint.core.archive.InvalidArchiveException;
import io.piholecheckpoint.core.archive.BackupNotFoundException;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.instance.InstanceConflictException;
import io.piholecheckpoint.core.instance.InstanceNotFoundException;
import io.piholecheckpoint.core.instance.ValidationException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/** The one place that turns the core's exceptions into API statuses and error codes. */
final class ApiErrors {
  private ApiErrors() {
  }

  /** Answers {@code e} and returns true, or returns false for an exception that is not the caller's fault. */
  static boolean answer(RuntimeException e, HttpServletResponse response, Json json) throws IOException {
    if (e instanceof InstanceNotFoundException) {
      json.error(response, 404, "instance_not_found", e.getMessage());
    } else if (e instanceof BackupNotFoundException) {
      json.error(response, 404, "backup_not_found", e.getMessage());
    } else if (e instanceof BackupConflictException) {
      json.error(response, 409, "backup_conflict", e.getMessage());
    } else if (e instanceof InstanceConflictException) {
      json.error(response, 409, "instance_conflict", e.getMessage());
    } else if (e instanceof ValidationException v) {
      json.write(response, 400, Map.of("error", Map.of("code", "validation_failed", "message", "Some fields are not valid.", "fields", v.fieldErrors())));
    } else if (e instanceof InvalidArchiveException) {
      json.error(response, 422, "invalid_archive", "This is not a usable Teleporter archive: " + e.getMessage());
    } else if (e instanceof ArchiveBusyException busy) {
      response.setHeader("Retry-After", Long.toString(busy.retryAfterSeconds()));
      json.error(response, 503, "archive_busy", e.getMessage());
    } else if (e instanceof ArchiveStorageException) {
      json.error(response, 503, "storage_error", e.getMessage());
    } else if (e instanceof PiholeException p) {
      json.error(response, p.failure() == PiholeException.Failure.TIMEOUT ? 504 : 502, p.failure().code(), e.getMessage());
    } else if (e instanceof Json.BadRequestException b && b.field() != null) {
      // the same "fields" map as a validation error, so a client shows both the same way
      json.write(response, b.status(), Map.of("error", Map.of("code", b.code(), "message", e.getMessage(), "field", b.field(),
          "fields", Map.of(b.field(), e.getMessage()))));
    } else if (e instanceof Json.BadRequestException b) {
      json.error(response, b.status(), b.code(), e.getMessage());
    } else {
      return false;
    }
    return true;
  }
}
