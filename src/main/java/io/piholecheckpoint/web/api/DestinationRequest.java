package io.piholecheckpoint.web.api;

import io.piholecheckpoint.core.destination.DestinationFields;
import io.piholecheckpoint.core.destination.DestinationForm;
import io.piholecheckpoint.web.JsonBody;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

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

  /** The type each field is read as: what a destination's settings are answered as, so that they can be sent back as they came. */
  private static final Map<String, Class<?>> TYPES = Arrays.stream(DestinationRequest.class.getRecordComponents())
      .collect(Collectors.toUnmodifiableMap(RecordComponent::getName, RecordComponent::getType));

  /** Settings by suffix as the API names them, numbers and flags as JSON numbers and booleans, as a request sends them. */
  static Map<String, Object> fields(Map<String, String> settings) {
    Map<String, Object> fields = new TreeMap<>();
    settings.forEach((suffix, value) -> fields.put(field(suffix), typed(field(suffix), value)));
    return fields;
  }

  private static Object typed(String field, String value) {
    Class<?> type = TYPES.get(field);
    if (value == null || value.isBlank()) {
      return value;
    }
    if (type == Integer.class && value.strip().matches("-?\\d{1,9}")) {
      return Integer.valueOf(value.strip());
    }
    if (type == Boolean.class && (value.strip().equalsIgnoreCase("true") || value.strip().equalsIgnoreCase("false"))) {
      return Boolean.valueOf(value.strip());
    }
    return value; // stored before it was checked as it is now: shown as it is rather than hidden
  }

  static String field(String suffix) {
    return DestinationFields.field(suffix);
  }

  @Override
  public String toString() {
    return "DestinationRequest[" + name + "]"; // holds secrets
  }
}
