package io.piholecheckpoint.web.api;

import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.web.Json;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.util.Locale;

/**
 * The archive of an import: multipart field {@code file}, at most 50 MiB (the limit of Pi-hole's
 * own upload). Too large is 413 whether the client said its size up front or sent it chunked:
 * a chunked body passes the limit only while the container parses it, and the container reports
 * that as a generic "bad multipart" wrapping its size complaint.
 */
final class ArchiveUpload {
  /** Pi-hole's own upload limit for Teleporter archives, plus room for the multipart framing. */
  static final long LIMIT = 50L * 1024 * 1024 + 64 * 1024;
  private static final String HOW = "send the archive as multipart/form-data, in a field named 'file'";
  /**
   * The form field of the pages' CSRF token: a browser form's upload may carry it as a part, which is let be; the access
   * filter reads a multipart upload's token from the X-CSRF-Token header only, and says so when it is missing.
   */
  private static final String CSRF_FIELD = "_csrf";

  private ArchiveUpload() {
  }

  /** The part named {@code file}; the caller deletes it when done. */
  static Part read(HttpServletRequest request) throws IOException {
    String type = request.getContentType();
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      throw new Json.BadRequestException(400, HOW);
    }
    if (request.getContentLengthLong() > LIMIT) {
      throw tooLarge();
    }
    Part file;
    java.util.Collection<Part> parts;
    try {
      file = request.getPart("file");
      parts = request.getParts(); // parsed with the one above
    } catch (ServletException | IllegalStateException | IOException e) {
      if (overLimit(e)) {
        throw tooLarge();
      }
      if (outOfSpace(e)) {
        throw new ArchiveStorageException("not enough space in BACKUP_DIR to take the upload (" + e.getMessage()
            + ") — free space there or point BACKUP_DIR at a larger disk, then send it again", e);
      }
      if (e instanceof IOException io) {
        throw io; // the client's connection broke mid-upload
      }
      throw new Json.BadRequestException(400, HOW);
    }
    if (file == null) {
      throw new Json.BadRequestException(400, HOW);
    }
    refuseOtherParts(parts);
    return file;
  }

  /**
   * A second {@code file} (of which the first was kept without a word) or a part no one reads is refused, naming it, as an
   * unknown or repeated JSON field is: the client meant something by it. The page's CSRF token may come as a part.
   */
  private static void refuseOtherParts(java.util.Collection<Part> parts) throws IOException {
    int files = 0;
    for (Part part : parts) {
      String name = part.getName();
      if (name.equals("file") && ++files > 1) {
        deleteAll(parts);
        throw new Json.BadRequestException(400, "duplicate_field", "file", "the field 'file' came twice: send one archive per upload");
      }
      if (!name.equals("file") && !name.equals(CSRF_FIELD)) {
        deleteAll(parts);
        throw new Json.BadRequestException(400, "unknown_field", name, "the upload has a part named '" + name + "', which is not read here; "
            + HOW + ", and nothing else");
      }
    }
  }

  /** The container's buffers of a refused upload, gone at once rather than when the request is recycled. */
  private static void deleteAll(java.util.Collection<Part> parts) throws IOException {
    for (Part part : parts) {
      part.delete();
    }
  }

  /**
   * Whether the container refused the body for its size: Jetty says "max file size exceeded" (or
   * "max length exceeded") in an IllegalStateException; Tomcat wraps a …SizeLimitExceededException.
   */
  static boolean overLimit(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage();
      if (t.getClass().getSimpleName().contains("SizeLimitExceeded")
          || t instanceof IllegalStateException && message.matches("(?s).*\\bmax\\b.*\\bexceeded\\b.*")) {
        return true;
      }
    }
    return false;
  }

  /** A full disk (ENOSPC) or quota while the container buffered the upload: our side, not the client's. */
  static boolean outOfSpace(Throwable e) {
    return new ArchiveStorageException("", e).outOfSpace();
  }

  private static Json.BadRequestException tooLarge() {
    return new Json.BadRequestException(413, "the archive is larger than 50 MiB");
  }
}
