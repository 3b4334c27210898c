package io.piholecheckpoint.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns Jackson's complaints into a 400 a person can act on: which field (as a path such as
 * {@code parts.bogus}) and what it must be, without Jackson's class names.
 */
public final class JsonProblems {
  private JsonProblems() {
  }

  public static Json.BadRequestException of(JsonMappingException e) {
    return of(e, (JsonNode) null);
  }

  /**
   * As {@link #of(JsonMappingException)}; with the body's {@code tree}, an unknown key at the top names every unknown key
   * of the body at once (a GET sent back whole carries a dozen: one answer, not a dozen tries).
   */
  public static Json.BadRequestException of(JsonMappingException e, JsonNode tree) {
    String field = path(e.getPath());
    if (e instanceof UnrecognizedPropertyException u) {
      List<String> known = u.getKnownPropertyIds() == null ? List.of() : u.getKnownPropertyIds().stream().map(Objects::toString).sorted().toList();
      List<String> unknown = new ArrayList<>();
      if (tree != null && tree.isObject() && !field.contains(".")) {
        tree.fieldNames().forEachRemaining(name -> {
          if (!known.contains(name)) {
            unknown.add(name);
          }
        });
      }
      String which = unknown.size() > 1 ? String.join(", ", unknown) + " are not fields here (leave them out)" : field + " is not a field here";
      return new Json.BadRequestException(400, "unknown_field", field, which + "; the fields are " + String.join(", ", known));
    }
    String subject = field.isEmpty() ? "the body" : field;
    String message = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Numeric value")
        ? subject + " is out of range"
        : subject + " must be " + expected(e instanceof MismatchedInputException m ? m.getTargetType() : null);
    return new Json.BadRequestException(400, "wrong_type", field.isEmpty() ? null : field, message);
  }

  /** A body that is not JSON at all, or repeats a key; {@code pointer} is where the parser was ("/parts/lists"). */
  public static Json.BadRequestException of(JsonProcessingException e, String pointer) {
    String field = pointer.replaceFirst("^/", "").replace('/', '.');
    String reason = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (reason.startsWith("Duplicate field")) {
      return new Json.BadRequestException(400, "duplicate_field", field, field + " is given twice; send it once");
    }
    if (reason.startsWith("Trailing token")) { // Jackson's words name its own class and feature (outsider 47 F9)
      return new Json.BadRequestException(400, "invalid_json", null, "send one JSON object only: something follows it" + where(e));
    }
    // the parser's own words name the offending token; a Java type in them (`com.fasterxml…`) is left out; cut to a line
    String detail = reason.lines().findFirst().orElse("").replaceAll("\\s+at \\[Source.*", "").replaceAll("\\s*\\([^()]*`[^`]*\\.[^`]*`[^()]*\\)", "")
        .replaceAll("`[a-z]+(\\.[A-Za-z0-9_$]+)+`", "a value");
    return new Json.BadRequestException(400, "invalid_json", field.isEmpty() ? null : field,
        "the body is not valid JSON" + (field.isEmpty() ? "" : " (at " + field + ")") + ": " + truncate(detail) + where(e));
  }

  /** " at line 1, column 37": where the parser stopped, for the person to look. */
  private static String where(JsonProcessingException e) {
    com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
    return at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }

  private static String path(List<JsonMappingException.Reference> references) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference r : references) {
      if (r.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        path.append('[').append(r.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String expected(Class<?> type) {
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type != null && (type.isArray() || java.util.Collection.class.isAssignableFrom(type))) {
      return "a list, e.g. [\"a\", \"b\"]";
    }
    return type != null && (type.isRecord() || java.util.Map.class.isAssignableFrom(type)) ? "an object" : "of another type";
  }

  /** Cut at a word's end near 120 characters: "not allowe…" read as a typo. */
  private static String truncate(String text) {
    if (text.length() <= 120) {
      return text;
    }
    int end = text.lastIndexOf(' ', 120);
    return text.substring(0, end > 60 ? end : 120) + " …";
  }
}
