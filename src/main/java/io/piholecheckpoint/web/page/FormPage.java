package io.piholecheckpoint.web.page;

import io.piholecheckpoint.core.settings.InstanceForm;
import java.util.List;
import java.util.Map;

/**
 * The model of the instance form: the values to show, the message beside each invalid field,
 * and whether the settings belong to the environment (read-only).
 *
 * @param id null for a new instance
 * @param nextRuns when the schedule shown fires next, as the pages show times: the saved one's beside the saved values, else the
 *     one in the fields (empty while they are not valid, or while a saved one is paused)
 * @param timeZone TIME_ZONE, the zone of {@code nextRuns}
 */
public record FormPage(Long id, InstanceForm form, Map<String, String> errors, boolean fromEnvironment, String envPrefix,
                       boolean hasPassword, boolean hasTotpSecret, List<String> nextRuns, String timeZone) {

  /**
   * A password typed into a form that was refused: it is never rendered back, so the field comes
   * back empty and must say so, or saving the corrected form stores no password at all.
   */
  public boolean passwordNotKept() {
    return form.password() != null;
  }

  /** The same for the 2FA secret. */
  public boolean totpSecretNotKept() {
    return form.totpSecret() != null;
  }
}
