package io.piholecheckpoint.core.settings;

import java.util.Map;

/** Input that cannot be saved, with a message per field that a person can act on. */
public class ValidationException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Map<String, String> fieldErrors;

  public ValidationException(Map<String, String> fieldErrors) {
    super("some fields are not valid: " + String.join(", ", fieldErrors.keySet()));
    this.fieldErrors = Map.copyOf(fieldErrors);
  }

  public Map<String, String> fieldErrors() {
    return fieldErrors;
  }
}
