package io.piholecheckpoint.web;

import io.piholecheckpoint.core.instance.InstanceForm;
import java.util.Map;

/**
 * The model of the instance form: the values to show, the message beside each invalid field,
 * and whether the settings belong to the environment (read-only).
 *
 * @param id null for a new instance
 */
public record FormPage(Long id, InstanceForm form, Map<String, String> errors, boolean fromEnvironment, String envPrefix,
                       boolean hasPassword, boolean hasTotpSecret) {
}
