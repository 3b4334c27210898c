package io.piholecheckpoint.core.registry;

import io.piholecheckpoint.core.settings.ValidationException;
import java.util.Map;

/**
 * The name is another instance's, found before the add or taken by another node's add a moment before it committed: a
 * conflict with what is stored (409, as for destinations and sync groups), not a malformed field; the form still marks the name.
 */
public class InstanceNameTakenException extends ValidationException {
  private static final long serialVersionUID = 1L;

  public InstanceNameTakenException(String message) {
    super(Map.of("name", message));
  }
}
