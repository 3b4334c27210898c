package io.piholecheckpoint.core.contents;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Natural order is a total order people recognise, and its sort key orders as it does. */
class NaturalOrderTest {

  @Example
  void numbersCompareByValueAndLettersWithoutCase() {
    List<String> names = new ArrayList<>(List.of("block-10.txt", "Block-2.txt", "block-2.txt", "block-1.txt", "block-02.txt", "a", "B", "z9", "z10"));

    names.sort(NaturalOrder.TEXT);

    assertThat(names).containsExactly("a", "B", "block-1.txt", "Block-2.txt", "block-02.txt", "block-2.txt", "block-10.txt", "z9", "z10");
  }

  @Example
  void aLongNumberSortsAfterAShortOneWhateverItsDigits() {
    assertThat(NaturalOrder.TEXT.compare("d99999999999999999999999.example", "d100000000000000000000000.example")).isNegative();
    assertThat(NaturalOrder.TEXT.compare("x" + "1".repeat(12), "x" + "9".repeat(11))).isPositive();
  }

  @Property
  void isAntisymmetricAndConsistentWithEquals(@ForAll("texts") String a, @ForAll("texts") String b) {
    int ab = NaturalOrder.TEXT.compare(a, b);
    int ba = NaturalOrder.TEXT.compare(b, a);

    assertThat(Integer.signum(ab)).isEqualTo(-Integer.signum(ba));
    assertThat(ab == 0).isEqualTo(a.equals(b));
  }

  @Property
  void isTransitive(@ForAll("texts") String a, @ForAll("texts") String b, @ForAll("texts") String c) {
    List<String> sorted = new ArrayList<>(List.of(a, b, c));
    sorted.sort(NaturalOrder.TEXT);

    assertThat(NaturalOrder.TEXT.compare(sorted.get(0), sorted.get(1))).isNotPositive();
    assertThat(NaturalOrder.TEXT.compare(sorted.get(1), sorted.get(2))).isNotPositive();
    assertThat(NaturalOrder.TEXT.compare(sorted.get(0), sorted.get(2))).isNotPositive();
  }

  /** What lets an SQLite index over (key, text) page in this order: the keys alone, compared as SQLite does, never contradict it. */
  @Property
  void theSortKeyInCodePointOrderAgreesWithTheComparator(@ForAll("texts") String a, @ForAll("texts") String b) {
    int byKey = Integer.signum(NaturalOrder.codePoints(NaturalOrder.key(a), NaturalOrder.key(b)));

    if (byKey != 0) {
      assertThat(Integer.signum(NaturalOrder.TEXT.compare(a, b))).isEqualTo(byKey);
    }
  }

  @Property(tries = 300)
  void pagingThroughAListYieldsEveryItemOnceInOrder(@ForAll("lists") List<String> items, @ForAll("limits") int limit) {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      Page<String> page = TextPages.page(items, "test", cursor, limit);
      assertThat(page.items()).hasSizeLessThanOrEqualTo(limit);
      seen.addAll(page.items());
      cursor = page.next();
    } while (cursor != null);

    List<String> expected = new ArrayList<>(items.stream().distinct().toList());
    expected.sort(NaturalOrder.TEXT);
    assertThat(seen).containsExactlyElementsOf(expected);
  }

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> small = Arbitraries.strings().withChars("aAbB0129-._").ofMaxLength(10);
    Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(8);
    return Arbitraries.oneOf(small, small, any);
  }

  @Provide
  Arbitrary<List<String>> lists() {
    return texts().list().ofMaxSize(60);
  }

  @Provide
  Arbitrary<Integer> limits() {
    return Arbitraries.integers().between(1, 9);
  }
}
