package io.piholecheckpoint.core.units;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteSizeTest {
  private static final Pattern SHOWN = Pattern.compile("(\\d{1,3}) B|(\\d{1,3}\\.\\d) (kB|MB|GB|TB|PB|EB)");
  private static final List<String> UNITS = List.of("B", "kB", "MB", "GB", "TB", "PB", "EB");

  @ParameterizedTest
  @CsvSource({
      "0, 0 B", "999, 999 B", "1000, 1.0 kB", "1049, 1.0 kB", "1050, 1.1 kB", "22730, 22.7 kB", "999949, 999.9 kB",
      "999950, 1.0 MB", "52428800, 52.4 MB", "84681700000, 84.7 GB", "1000000000000, 1.0 TB",
      "9223372036854775807, 9.2 EB", "-1, unknown"})
  void showsDecimalUnitsWithOneDecimal(long bytes, String shown) {
    assertThat(ByteSize.format(bytes)).isEqualTo(shown);
  }

  @ParameterizedTest
  @CsvSource({"999949, 999.9 kB", "999950, 1.0 MB", "999949999, 999.9 MB", "999950000, 1.0 GB"})
  void movesToTheNextUnitWhereRoundingWouldNeedAFifthDigit(long bytes, String shown) {
    assertThat(ByteSize.format(bytes)).isEqualTo(shown);
  }

  @Property
  void neverShowsMoreThanFourDigitsAndAUnit(@ForAll("sizes") long bytes) {
    String shown = ByteSize.format(bytes);
    assertThat(shown).matches(SHOWN);
    assertThat(shown.chars().filter(Character::isDigit).count()).isLessThanOrEqualTo(4);
  }

  @Property
  void aLargerSizeNeverLooksSmaller(@ForAll("sizes") long a, @ForAll("sizes") long b) {
    long small = Math.min(a, b);
    long large = Math.max(a, b);
    assertThat(value(ByteSize.format(small))).isLessThanOrEqualTo(value(ByteSize.format(large)));
  }

  @Property
  void isWithinHalfATenthOfTheUnit(@ForAll("sizes") long bytes) {
    String shown = ByteSize.format(bytes);
    BigDecimal error = value(shown).subtract(BigDecimal.valueOf(bytes)).abs();
    assertThat(error).isLessThanOrEqualTo(unit(shown).divide(BigDecimal.valueOf(20)));
  }

  @Property
  void usesTheLargestUnitThatKeepsTheNumberAtLeastOne(@ForAll("sizes") long bytes) {
    String shown = ByteSize.format(bytes);
    BigDecimal number = value(shown).divide(unit(shown));
    assertThat(number).isGreaterThanOrEqualTo(BigDecimal.ZERO).isLessThan(BigDecimal.valueOf(1000));
    if (!shown.endsWith(" B")) {
      assertThat(number).isGreaterThanOrEqualTo(BigDecimal.ONE);
    }
  }

  /** Every magnitude equally often, and the rounding edges of each unit. */
  @Provide
  Arbitrary<Long> sizes() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(0, 18).flatMap(digits -> Arbitraries.longs().between(0, (long) Math.min(Long.MAX_VALUE, Math.pow(10, digits)))),
        Arbitraries.integers().between(1, 5).flatMap(k -> Arbitraries.longs().between(-2, 2)
            .map(d -> BigDecimal.valueOf(9999.5).scaleByPowerOfTen(3 * k - 1).longValue() + d)),
        Arbitraries.longs().between(Long.MAX_VALUE - 1000, Long.MAX_VALUE));
  }

  private static BigDecimal value(String shown) {
    return new BigDecimal(parts(shown).group(1) != null ? parts(shown).group(1) : parts(shown).group(2)).multiply(unit(shown));
  }

  private static BigDecimal unit(String shown) {
    String name = parts(shown).group(3) == null ? "B" : parts(shown).group(3);
    return BigDecimal.TEN.pow(3 * UNITS.indexOf(name));
  }

  private static Matcher parts(String shown) {
    Matcher m = SHOWN.matcher(shown);
    assertThat(m.matches()).as(shown).isTrue();
    return m;
  }
}
