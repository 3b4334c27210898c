package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** NODE_NAME: a node's name in a cluster, printable ASCII of at most 64 characters, the host name by default. */
class NodeNameTest {
  @Test
  void isTheHostNameByDefaultCutTo64Characters() {
    assertThat(AppConfig.from(Map.of("HOSTNAME", "4f1c2a9be7d0")).nodeName()).isEqualTo("4f1c2a9be7d0");
    assertThat(AppConfig.from(Map.of("HOSTNAME", "h".repeat(80))).nodeName()).hasSize(64);
    assertThat(AppConfig.from(Map.of("NODE_NAME", " node-a ", "HOSTNAME", "ignored")).nodeName()).isEqualTo("node-a");
  }

  @ParameterizedTest
  @ValueSource(strings = {"node a", "nöde", "tab\there"})
  void refusesANameThatIsNotPrintableAsciiWithoutSpaces(String name) {
    assertThatThrownBy(() -> AppConfig.from(Map.of("NODE_NAME", name)).nodeName()).isInstanceOf(AppConfig.ConfigException.class)
        .hasMessageContaining("NODE_NAME").hasMessageContaining("1 to 64 printable ASCII characters");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  "})
  void refusesANameSetButEmptyInsteadOfTakingTheHostName(String empty) {
    assertThatThrownBy(() -> AppConfig.from(Map.of("NODE_NAME", empty, "HOSTNAME", "4f1c2a9be7d0")).nodeName())
        .isInstanceOf(AppConfig.ConfigException.class).hasMessageContaining("NODE_NAME is set but empty").hasMessageContaining("remove the variable");
  }

  @Test
  void refusesANameLongerThan64Characters() {
    assertThatThrownBy(() -> AppConfig.from(Map.of("NODE_NAME", "n".repeat(65))).nodeName()).isInstanceOf(AppConfig.ConfigException.class);
  }
}
