package io.piholecheckpoint.web.api;

import io.piholecheckpoint.core.registry.InstanceNotFoundException;
import io.piholecheckpoint.web.Paths;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.OptionalLong;

/** Under {@code /api/v1/instances}: "/12/retention/preview" is id 12, action "retention/preview"; "" is the collection. */
record InstanceRoute(OptionalLong id, String action) {
  static InstanceRoute of(HttpServletRequest request) {
    String[] parts = Paths.segments(request);
    if (parts.length == 0) {
      return new InstanceRoute(OptionalLong.empty(), "");
    }
    OptionalLong id = Paths.id(parts[0]);
    if (id.isEmpty()) {
      throw new InstanceNotFoundException(parts[0]);
    }
    return new InstanceRoute(id, String.join("/", Arrays.copyOfRange(parts, 1, parts.length)));
  }

  long instanceId() {
    return id.getAsLong();
  }
}
