package io.piholecheckpoint.core.units;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogTextTest {

  /** Outsider 51 (F3): a name with the family 👨‍👩‍👧 read "👨\u200d👩\u200d👧" in logs and API messages. */
  @ParameterizedTest
  @ValueSource(strings = {"Odd \u2603 \uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67 caf\u00e9", "\u2764\uFE0F\u200D\uD83D\uDD25",
      "\uD83D\uDC4B\uD83C\uDFFD\u200D\u2642"})
  void keepsAJoinerInsideAnEmojiSequenceAsItself(String name) {
    assertThat(LogText.escape(name)).isEqualTo(name);
    assertThat(LogText.withoutControls("Pi-hole '" + name + "'\n")).isEqualTo("Pi-hole '" + name + "'\\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"HO\u200DME", "\u200DHome", "Home\u200D", "\uD83D\uDC68\u200D", "a\u200Db", "\uD83D\uDC68\u200D\u200D\uD83D\uDC69"})
  void escapesAJoinerAnywhereElse(String text) {
    assertThat(LogText.escape(text)).contains("\\u200d");
    assertThat(LogText.withoutControls(text)).contains("\\u200d");
  }

  /**
   * The note of round 51 listed a subdivision flag's tag characters (U+E0020–E007F after 🏴) as still escaped in names and
   * messages; they are not, in logs or messages, and this keeps it so (instance names accept them: InstanceNames).
   */
  @Test
  void keepsTheTagCharactersOfASubdivisionFlagAsThemselves() {
    String england = "\uD83C\uDFF4\uDB40\uDC67\uDB40\uDC62\uDB40\uDC65\uDB40\uDC6E\uDB40\uDC67\uDB40\uDC7F";
    assertThat(LogText.escape("Home " + england)).isEqualTo("Home " + england);
    assertThat(LogText.withoutControls("Pi-hole 'Home " + england + "'")).isEqualTo("Pi-hole 'Home " + england + "'");
  }

  @Test
  void stillEscapesBidiOverridesBesideAnEmoji() {
    assertThat(LogText.escape("\uD83D\uDC68\u202E\uD83D\uDC69")).isEqualTo("\uD83D\uDC68\\u202e\uD83D\uDC69");
  }
}
