package io.piholecheckpoint.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Parses an exposition with the official Prometheus client's parser (Python's prometheus_client,
 * Debian's python3-prometheus-client): what Prometheus can read, not what we think it can.
 */
public final class PrometheusParser {
  private static final String SCRIPT = """
      import sys, json
      from prometheus_client.parser import text_string_to_metric_families
      out = []
      for family in text_string_to_metric_families(sys.stdin.read()):
          for s in family.samples:
              out.append({"family": family.name, "type": family.type, "name": s.name, "labels": s.labels, "value": s.value})
      print(json.dumps(out))
      """;

  /** One sample: metric name with its suffix, labels, value. */
  public record Sample(String family, String type, String name, Map<String, String> labels, double value) {
  }

  private final List<Sample> samples;

  private PrometheusParser(List<Sample> samples) {
    this.samples = samples;
  }

  public static PrometheusParser parse(String exposition) throws Exception {
    Process python = new ProcessBuilder("/usr/bin/python3", "-c", SCRIPT).start();
    python.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
    python.getOutputStream().close();
    String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(python.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!python.waitFor(60, TimeUnit.SECONDS) || python.exitValue() != 0) {
      throw new AssertionError("prometheus_client could not parse the exposition: " + err);
    }
    List<Sample> samples = new ArrayList<>();
    for (JsonNode s : new ObjectMapper().readTree(out)) {
      Map<String, String> labels = new TreeMap<>();
      s.get("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      samples.add(new Sample(s.get("family").asText(), s.get("type").asText(), s.get("name").asText(), labels, s.get("value").asDouble()));
    }
    return new PrometheusParser(samples);
  }

  public List<Sample> samples() {
    return samples;
  }

  /** The value of the sample with this name and exactly these labels ("k=v" pairs). */
  public Optional<Double> value(String name, String... labels) {
    Map<String, String> wanted = new TreeMap<>();
    for (String l : labels) {
      wanted.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1));
    }
    return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(wanted)).map(Sample::value).findFirst();
  }

  public String typeOf(String family) {
    return samples.stream().filter(s -> s.family().equals(family)).map(Sample::type).findFirst().orElse("absent");
  }
}
