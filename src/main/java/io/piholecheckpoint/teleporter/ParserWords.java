package io.piholecheckpoint.teleporter;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.piholecheckpoint.core.archive.InvalidArchiveException;
import io.piholecheckpoint.core.units.LogText;
import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a parser found wrong in an archive's file, in the words a page or the API can show: the
 * file, the line and column, and the parser's own sentence, without its source dump ("[Source:
 * (StringReader); line: 3, column: 1]") or the driver's codes ("[SQLITE_NOTADB]").
 */
final class ParserWords {
  /** "[SQLITE_NOTADB] File opened that is not a database file (file is not a database)": the code, the generic text, the specific one. */
  private static final Pattern SQLITE = Pattern.compile("(?s)\\[SQLITE_\\w+]\\s*(.*?)(?:\\s*\\((.*)\\))?\\s*");

  private ParserWords() {
  }

  /** "etc/pihole/pihole.toml is not valid TOML near line 4, column 1: duplicate key": near, as the parser may notice a line late. */
  static InvalidArchiveException toml(String file, JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where = at == null || at.getLineNr() < 1 ? "" : " near line %d, column %d".formatted(at.getLineNr(), at.getColumnNr());
    return new InvalidArchiveException(file + " is not valid TOML" + where + ": " + sentence(e.getOriginalMessage()), e);
  }

  /** The driver's own text for what is wrong, without its result code; "cannot be read" when it gives none. */
  static String sqlite(SQLException e) {
    String message = e.getMessage() == null ? "" : e.getMessage().strip();
    Matcher m = SQLITE.matcher(message);
    if (m.matches()) {
      message = m.group(2) != null && !m.group(2).isBlank() ? m.group(2) : m.group(1);
    }
    return message.isBlank() ? "cannot be read" : sentence(message);
  }

  /** The parser's first line, its first letter lower-case (it follows a colon), no control characters, not a novel. */
  private static String sentence(String text) {
    String line = text == null ? "" : text.lines().findFirst().orElse("").replaceAll("\\s+at \\[Source.*", "").strip();
    if (line.isEmpty()) {
      return "it cannot be parsed";
    }
    if (line.length() > 1 && Character.isUpperCase(line.charAt(0)) && !Character.isUpperCase(line.charAt(1))) {
      line = line.substring(0, 1).toLowerCase(Locale.ROOT) + line.substring(1);
    }
    return LogText.escape(line.length() > 200 ? line.substring(0, 200) + "…" : line);
  }
}
