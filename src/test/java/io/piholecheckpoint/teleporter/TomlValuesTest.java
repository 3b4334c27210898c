package io.piholecheckpoint.teleporter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.math.BigDecimal;
import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

/** Numbers of pihole.toml as plain decimals, never in scientific notation, with the value they had. */
class TomlValuesTest {
  private static final TomlMapper TOML = new TomlMapper();

  private static String shown(String tomlValue) throws Exception {
    return TomlValues.text(TOML.readTree("x = " + tomlValue).get("x"));
  }

  @Test
  void theTempLimitOfARealArchiveIsSixty() throws Exception {
    assertThat(shown("60.000000")).isEqualTo("60");
    assertThat(shown("[1.5e3, 2]")).isEqualTo("[1500,2]");
    assertThat(shown("\"text\"")).isEqualTo("\"text\"");
  }

  @Property
  void aFloatIsAPlainDecimalOfTheSameValue(@ForAll @DoubleRange(min = -1e12, max = 1e12) double value) throws Exception {
    String written = String.format(Locale.ROOT, "%f", value);

    String shown = shown(written);

    assertThat(shown).doesNotContainIgnoringCase("e");
    assertThat(new BigDecimal(shown)).isEqualByComparingTo(new BigDecimal(written));
  }

  /** ints: pihole.toml's integers are 32-bit, and Jackson's TOML reader reads 1000000000000000000 as 0 (its bug, not ours). */
  @Property
  void anIntegerIsShownAsWritten(@ForAll int value) throws Exception {
    assertThat(shown(Integer.toString(value))).isEqualTo(Integer.toString(value));
  }
}
