package io.piholecheckpoint.core.legacy;

import io.piholecheckpoint.core.archive.ArchiveFiles;
import io.piholecheckpoint.core.units.LogText;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the columns of the original's backup records as Django wrote them (times naive UTC,
 * {@code 2025-01-05 03:00:00.123456}; booleans 0/1), and refuses what it did not write.
 */
final class OriginalRecords {
  private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
      .appendPattern("uuuu-MM-dd").optionalStart().appendLiteral(' ').optionalEnd().optionalStart().appendLiteral('T').optionalEnd()
      .appendPattern("HH:mm:ss").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
      .toFormatter(Locale.ROOT);
  private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  /** An error message is shown on pages and sent in notifications: long enough for any real one. */
  static final int MESSAGE_LENGTH = 2000;

  enum Status { SUCCESS, FAILED }

  private OriginalRecords() {
  }

  /** When the record was made: naive times are UTC, as Django stores them; empty for what is no time of this century. */
  static Optional<Instant> createdAt(String text) {
    if (text == null || text.isBlank() || text.length() > 40) {
      return Optional.empty();
    }
    try {
      var parsed = TIME.parseBest(text.trim(), OffsetDateTime::from, LocalDateTime::from);
      Instant at = parsed instanceof OffsetDateTime o ? o.toInstant() : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
      return at.isBefore(EARLIEST) || !at.isBefore(LATEST) ? Optional.empty() : Optional.of(at);
    } catch (DateTimeParseException | ClassCastException e) {
      return Optional.empty();
    }
  }

  static Optional<Status> status(String text) {
    String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    return switch (s) {
      case "success" -> Optional.of(Status.SUCCESS);
      case "failed" -> Optional.of(Status.FAILED);
      default -> Optional.empty();
    };
  }

  /** The id of the Pi-hole a record belongs to: any integer SQLite holds (1.x's ids, not ours: −5 and 2⁶³−1 are ids too). */
  static Optional<Long> configId(String text) {
    String s = text == null ? "" : text.trim();
    if (!s.matches("[+-]?\\d{1,19}")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(s));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  static boolean manual(String text) {
    String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    return s.equals("1") || s.equals("true") || s.equals("t");
  }

  /**
   * The name of its archive in the backup directory: its {@code filename}, else the last part of
   * its {@code file_path}, if either is a name the original writes (which never holds a path).
   */
  static Optional<String> archiveName(OriginalRecord record) {
    if (ArchiveFiles.isOriginal(record.fileName())) {
      return Optional.of(record.fileName());
    }
    String path = record.filePath();
    if (path == null) {
      return Optional.empty();
    }
    String last = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    return ArchiveFiles.isOriginal(last) ? Optional.of(last) : Optional.empty();
  }

  /** The SHA-256 it recorded, lower-case hex; empty when it recorded none (or garbage). */
  static Optional<String> checksum(String text) {
    String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    return SHA256.matcher(s).matches() ? Optional.of(s) : Optional.empty();
  }

  /** A failure's message as shown: one line of printable text, bounded, never empty. */
  static String failureMessage(String text) {
    String line = text == null ? "" : text.codePoints().map(c -> LogText.unsafe(c) || !Character.isDefined(c) ? ' ' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
    if (line.isEmpty()) {
      return "failed in Pi-hole Checkpoint 1.x, which recorded no reason";
    }
    if (line.length() > MESSAGE_LENGTH) {
      int end = Character.isHighSurrogate(line.charAt(MESSAGE_LENGTH - 2)) ? MESSAGE_LENGTH - 2 : MESSAGE_LENGTH - 1;
      line = line.substring(0, end) + "…";
    }
    return "Pi-hole Checkpoint 1.x: " + line;
  }

  /** A short, printable quote of a value for a log line. */
  static String quote(String text) {
    if (text == null) {
      return "NULL";
    }
    String cut = text.length() > 80 ? text.substring(0, 80) + "…" : text;
    return "'" + LogText.escape(cut) + "'";
  }
}
