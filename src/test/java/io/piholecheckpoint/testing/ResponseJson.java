package io.piholecheckpoint.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;

/** The body of an API answer, read as JSON, for tests that follow the API from one answer to the next. */
public final class ResponseJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ResponseJson() {
  }

  public static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }
}
