package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

/** Outsider 47 F9: a body with something after its object was refused in Jackson's words, a class name in them, cut mid-word. */
class JsonProblemsTest {
  private static final ObjectMapper MAPPER = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  @Test
  void somethingAfterTheObjectIsSaidInAPersonsWordsWithWhereItIs() {
    JsonProcessingException e = catchThrowableOfType(() -> MAPPER.readTree("{\"name\":\"B\",\"url\":\"http://1.2.3.4\"} {}"),
        JsonProcessingException.class);

    Json.BadRequestException refused = JsonProblems.of(e, "");

    assertThat(refused.getMessage()).matches("send one JSON object only: something follows it \\(line 1, column 3[78]\\)");
  }

  @Test
  void aBrokenBodySaysWhereAndNamesNoJavaType() {
    JsonProcessingException e = catchThrowableOfType(() -> MAPPER.readTree("{\"name\": tru}"), JsonProcessingException.class);

    Json.BadRequestException refused = JsonProblems.of(e, "/name");

    assertThat(refused.getMessage()).startsWith("the body is not valid JSON (at name): ").contains("(line 1, column")
        .doesNotContain("`com.", "jackson", "at [Source");
  }
}
