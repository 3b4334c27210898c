package io.piholecheckpoint.core.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SettingTextTest {

  @ParameterizedTest
  @CsvSource({"true,true", " YES ,true", "on,true", "1,true", "false,false", "No,false", "off,false", "0,false"})
  void readsAFlagInEverySpellingTheReadmeNames(String text, boolean flag) {
    assertThat(SettingText.flag(text)).isEqualTo(flag);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "maybe", "2", "truee"})
  void refusesAnythingElseAsAFlag(String text) {
    assertThatThrownBy(() -> SettingText.flag(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({"' 7 ',7", "0,0", "10,10"})
  void readsAWholeNumberInItsRange(String text, int n) {
    assertThat(SettingText.wholeNumber(text, 0, 10)).isEqualTo(n);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "11", "1.5", "", "ten", "99999999999"})
  void refusesANumberOutsideItsRangeOrNoNumber(String text) {
    assertThatThrownBy(() -> SettingText.wholeNumber(text, 0, 10)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({"90m,PT1H30M", "36h,PT36H", "2d,PT48H", "pt36h,PT36H", "' 6h ',PT6H"})
  void readsADurationWithAUnitOrInIso8601(String text, String iso) {
    assertThat(SettingText.duration(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "h", "36", "36H", "0h", "-2d", "PT0S", "P", "tomorrow", "99999999999999999d"})
  void refusesADurationThatIsNotPositiveOrHasNoUnit(String text) {
    assertThatThrownBy(() -> SettingText.duration(text)).isInstanceOf(IllegalArgumentException.class);
  }

  /** A window near Duration's own limit overflowed every Instant it was added to: /health answered 500 once a sync replica failed. */
  @ParameterizedTest
  @ValueSource(strings = {"PT999999999999999H", "3651d", "87625h"})
  void refusesADurationLongerThanTenYears(String text) {
    assertThatThrownBy(() -> SettingText.duration(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than 3650 days");
  }

  @Test
  void takesADurationOfTenYears() {
    assertThat(SettingText.duration("3650d")).isEqualTo(Duration.ofDays(3650));
  }

  @Test
  void digitsOtherThanAscii09AreNoNumber() {
    assertThatThrownBy(() -> SettingText.wholeNumber("\uff18\uff10\uff10\uff10", 1, 65535))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SettingText.duration("\u0662d")).isInstanceOf(IllegalArgumentException.class);
    assertThat(SettingText.wholeNumber(" 8000 ", 1, 65535)).isEqualTo(8000);
  }
}
