package io.piholecheckpoint.core.instance;

public class InstanceNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InstanceNotFoundException(long id) {
    super("no Pi-hole instance with id " + id);
  }
}
