package io.piholecheckpoint.web.access;

import static org.assertj.core.api.Assertions.assertThat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestPathTest {
  @ParameterizedTest
  @CsvSource({
      "/, /",
      "/api/v1/instances, /api/v1/instances",
      "/api/v1/instances/, /api/v1/instances/",
      "/static/app.js, /static/app.js",
      "/backups/12/download, /backups/12/download",
      "/caf%C3%A9, /café",
      "/static/, /static/index.html"})
  void acceptsAPlainPathThatIsTheDispatchedOne(String raw, String dispatched) {
    assertThat(RequestPath.canonical(raw, dispatched)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/static/../api/v1/instances", "/static/%2e%2e/api/v1/instances", "/static/%2E%2E/api/v1/instances",
      "/static/.%2e/api/v1/instances", "/static/..;/api/v1/instances", "/static;x=1/../api/v1/instances",
      "/static/..%2fapi/v1/instances", "/static%2F..%2Fapi/v1/instances", "/static/..\\api/v1/instances",
      "/static/..%5capi/v1/instances", "/static/./../api/v1/instances", "/static//../api/v1/instances",
      "/static/%252e%252e/api/v1/instances", "/./api/v1/instances", "//api/v1/instances", "/api//v1/instances",
      "/api/v1/instances/.", "/api/v1/instances;jsessionid=abc", "/%61pi/v1/instances", "/api/v1/instances%00",
      "/api/v1/instances%20", "/api/v1/instances%", "/api/v1/instances%zz", "/caf%C3", "/api/v1/instances#x",
      "api/v1/instances", "", "http://127.0.0.1/api/v1/instances"})
  void refusesDotSegmentsSeparatorsParametersAndNeedlessEncodings(String raw) {
    assertThat(RequestPath.canonical(raw, "/api/v1/instances")).as(raw).isFalse();
  }

  /** Outsider 51: "/backups/05/" was taken as backup 5 while "/backups/%35/" was refused; an id has one form. */
  @ParameterizedTest
  @ValueSource(strings = {"/backups/05/", "/api/v1/backups/05/restore", "/api/v1/instances/007", "/backups/00", "/backups/%35/"})
  void refusesAnIdWithLeadingZerosAsItRefusesOneNeedlesslyEncoded(String raw) {
    assertThat(RequestPath.canonical(raw, RequestPath.decode(raw) == null ? raw : RequestPath.decode(raw))).as(raw).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/backups/0/", "/backups/5/", "/api/v1/backups/50/restore", "/static/0a.css"})
  void acceptsZeroAndNumbersWithoutLeadingZeros(String raw) {
    assertThat(RequestPath.canonical(raw, raw)).as(raw).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"/API/v1/instances, /api/v1/instances", "/api/v1/instances., /api/v1/instances", "/static/, /static/sub/index.html"})
  void refusesAPathTheContainerDispatchedElsewhere(String raw, String dispatched) {
    assertThat(RequestPath.canonical(raw, dispatched)).isFalse();
  }

  @Property
  void anyDotSegmentOrEncodedSeparatorAnywhereIsRefused(@ForAll("hostilePaths") String raw) {
    assertThat(RequestPath.canonical(raw, raw)).as(raw).isFalse();
  }

  @Property
  void aPathOfPlainSegmentsIsItsOwnDecoding(@ForAll("plainPaths") String raw) {
    assertThat(RequestPath.canonical(raw, raw)).as(raw).isTrue();
  }

  @Property(tries = 5000)
  void whatPassesHasNoSecondReading(@ForAll("rawPaths") String raw) {
    String decoded = RequestPath.decode(raw);
    if (decoded == null || !RequestPath.canonical(raw, decoded)) {
      return;
    }

    assertThat(decoded).as(raw).doesNotContain("%", "\\", ";", "//").doesNotContainPattern("\\p{Cntrl}");
    String trimmed = decoded.length() > 1 && decoded.endsWith("/") ? decoded.substring(0, decoded.length() - 1) : decoded;
    assertThat(java.nio.file.Path.of(decoded).normalize().toString()).as("normalising changes nothing: " + raw).isEqualTo(trimmed);
  }

  /** Strings from the characters that make paths ambiguous, with some plain letters between them. */
  @Provide
  Arbitrary<String> rawPaths() {
    return Arbitraries.strings().withChars("/.%;\\2eEfF5cC0a b").ofMinLength(1).ofMaxLength(16).map(s -> "/" + s);
  }

  @Provide
  Arbitrary<String> plainPaths() {
    Arbitrary<String> segment = Arbitraries.strings().withChars("abcXYZ019-_~").ofMinLength(1).ofMaxLength(8)
        .filter(p -> !p.matches("0[0-9]+")); // a number with leading zeros is no id's form
    return segment.list().ofMinSize(0).ofMaxSize(5).map(parts -> "/" + String.join("/", parts));
  }

  @Provide
  Arbitrary<String> hostilePaths() {
    Arbitrary<String> hostile = Arbitraries.of("..", ".", "%2e%2e", "%2E.", ".%2e", "%2f", "%2F", "%5c", "\\", ";", ";x=1", "..;",
        "%25", "%3b", "", "%00", "%0a", " ", "%61");
    Arbitrary<String> segment = Arbitraries.strings().withChars("abc.-").ofMaxLength(4);
    return Combinators.combine(segment.list().ofMaxSize(3), hostile, segment.list().ofMaxSize(3))
        .as((before, bad, after) -> "/" + String.join("/", before) + (before.isEmpty() ? "" : "/") + bad
            + (after.isEmpty() ? "/x" : "/" + String.join("/", after)));
  }
}
