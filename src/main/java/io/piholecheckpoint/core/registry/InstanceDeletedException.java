package io.piholecheckpoint.core.registry;

/**
 * The instance was deleted while something of it ran (a backup through another process on the DATA_DIR, or by hand in the
 * database): nothing of the run can be recorded under it, and it is said as what happened, not as an unexpected failure.
 */
public class InstanceDeletedException extends InstanceNotFoundException {
  private static final long serialVersionUID = 1L;
  private final String reason;

  public InstanceDeletedException(long id, String reason) {
    super(id);
    this.reason = reason;
  }

  @Override
  public String getMessage() {
    return reason;
  }
}
