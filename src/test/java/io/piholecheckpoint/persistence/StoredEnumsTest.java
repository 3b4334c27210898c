package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every enum a mapper reads has a fallback: a new enum column without one would fail every query of a row holding an unknown value. */
class StoredEnumsTest {
  private static final Pattern JAVA_TYPE = Pattern.compile("javaType=\"([^\"]+)\"");

  @Test
  void everyEnumTheMappersReadHasAFallback() throws IOException {
    Set<String> read = new TreeSet<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/resources/io/piholecheckpoint/persistence"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".xml")).toList()) {
        Matcher m = JAVA_TYPE.matcher(Files.readString(file));
        while (m.find()) {
          enumNamed(m.group(1)).ifPresent(read::add);
        }
      }
    }
    Set<String> covered = StoredEnums.ALL.stream().map(h -> h.fallback().getDeclaringClass().getName()).collect(Collectors.toSet());

    assertThat(read).as("enums read by the mappers").isNotEmpty().contains("io.piholecheckpoint.core.instance.ConnectionStatus");
    assertThat(covered).containsAll(read);
  }

  private static java.util.Optional<String> enumNamed(String name) {
    try {
      Class<?> type = Class.forName(name);
      return type.isEnum() ? java.util.Optional.of(type.getName()) : java.util.Optional.empty();
    } catch (ClassNotFoundException e) {
      return java.util.Optional.empty(); // an alias (string, _int): no enum
    }
  }
}
