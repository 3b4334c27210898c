package io.piholecheckpoint.web.api;

import io.piholecheckpoint.core.destination.DestinationFields;
import io.piholecheckpoint.core.destination.DestinationForm;
import io.piholecheckpoint.web.JsonBody;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code POST /api/v1/offsite}, {@code PUT /api/v1/offsite/{name}} and {@code POST /api/v1/offsite/test}:
 * a destination's settings, each field the {@code OFFSITE_<NAME>_} variable of the same name in camel
 * case. A field left out is kept as stored; a number sent as null goes back to the default (the
 * instance's retention, the timeout); an empty secret keeps the stored one.
 */
record DestinationRequest(String name, String url, String instances, Integer maxBackups, Integer maxAgeDays, Integer keepDaily, Integer keepWeekly,
                          Integer keepMonthly, Boolean encrypt, Integer timeoutSeconds, String endpoint, String region, String accessKeyId,
                          String secretAccessKey, Boolean pathStyle, String user, String password, String privateKey, String privateKeyPassphrase,
                          String hostKey) {
  static final String[] NULLABLE = {"maxBackups", "maxAgeDays", "keepDaily", "keepWeekly", "keepMonthly", "timeoutSeconds"};

  static DestinationForm form(JsonBody.Read<DestinationRequest> body) {
    DestinationRequest r = body.value();
    Object[] given = {r.url, r.instances, r.maxBackups, r.maxAgeDays, r.keepDaily, r.keepWeekly, r.keepMonthly, r.encrypt, r.timeoutSeconds,
        r.endpoint, r.region, r.accessKeyId, r.secretAccessKey, r.pathStyle, r.user, r.password, r.privateKey, r.privateKeyPassphrase, r.hostKey};
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < given.length; i++) {
      String suffix = DestinationFields.ALL.get(i);
      boolean sentNull = given[i] == null && body.tree().has(DestinationFields.field(suffix));
      values.put(suffix, sentNull ? "" : given[i] == null ? null : given[i].toString());
    }
    return new DestinationForm(r.name, values);
  }

  /** Settings by suffix as the API names them. */
  static Map<String, String> fields(Map<String, String> settings) {
    Map<String, String> fields = new TreeMap<>();
    settings.forEach((suffix, value) -> fields.put(field(suffix), value));
    return fields;
  }

  static String field(String suffix) {
    return DestinationFields.field(suffix);
  }

  @Override
  public String toString() {
    return "DestinationRequest[" + name + "]"; // holds secrets
  }
}
