package io.piholecheckpoint.core.archive;

/** Every permit for heavy archive work stayed taken for as long as an interactive request may wait. */
public class ArchiveBusyException extends RuntimeException {
  private final long retryAfterSeconds;

  public ArchiveBusyException(long retryAfterSeconds) {
    super("Busy with another archive; try again in a moment.");
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** The wait for a permit was interrupted (a stop): the cause says so, and callers that look for it record a cancellation. */
  public ArchiveBusyException(long retryAfterSeconds, InterruptedException cause) {
    this(retryAfterSeconds);
    initCause(cause);
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
