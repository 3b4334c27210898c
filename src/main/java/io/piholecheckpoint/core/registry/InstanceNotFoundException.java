package io.piholecheckpoint.core.registry;

public class InstanceNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InstanceNotFoundException(long id) {
    this(Long.toString(id));
  }

  /** @param id as the caller wrote it, which may be no number at all */
  public InstanceNotFoundException(String id) {
    super("no Pi-hole instance with id '" + (id.length() > 40 ? id.substring(0, 40) + "…" : id) + "' (ids are numbers; GET /api/v1/instances lists them)");
  }
}
