package io.piholecheckpoint.web;

/**
 * The request bodies of {@code /api/v1}, read by {@link JsonBody}: a field left out is null,
 * a field of another JSON type or a key not listed here is a 400 naming it.
 */
final class ApiRequests {
  private ApiRequests() {
  }

  /**
   * {@code POST /api/v1/instances} and {@code PUT /api/v1/instances/{id}}. Numbers are JSON
   * numbers and flags JSON booleans, as {@code GET} answers them; {@code timeoutSeconds: null}
   * returns to the default timeout.
   */
  record InstanceRequest(String name, String url, String password, String totpSecret, String tlsMode, String caPem,
                         String fingerprint, Integer timeoutSeconds, String scheduleKind, String time, String day, String cron,
                         Integer maxBackups, Integer maxAgeDays, Integer keepDaily, Integer keepWeekly, Integer keepMonthly,
                         Boolean skipUnchanged, Boolean active) {
    static final String NULLABLE = "timeoutSeconds";
  }

  /** {@code POST /api/v1/backups/{id}/restore}; everything may be left out. */
  record RestoreRequest(Long target, String mode, Parts parts, Boolean dryRun) {
  }

  /** The parts of a {@code custom} restore; a part left out is not restored. */
  record Parts(Boolean lists, Boolean localDns, Boolean settings, Boolean identity) {
  }
}
