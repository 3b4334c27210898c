package io.piholecheckpoint.core.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.instance.InstanceNames;
import io.piholecheckpoint.core.schedule.FireTimes;
import io.piholecheckpoint.testing.TestInstances;
import io.piholecheckpoint.testing.UnitRunTries;
import java.text.Normalizer;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The README's promise on names, over made-up ones: printable text of 1 to 60 characters (counted
 * in code points after composing, an emoji sequence by its parts), typed composed or decomposed, is
 * accepted and stored composed (NFC); a control character anywhere inside, or a full-width look-alike,
 * is refused with the message that says so.
 */
@AddLifecycleHook(UnitRunTries.class)
class NamePropertyTest {
  private static final FireTimes QUARTZ = TestInstances.fireTimes();
  /** What people type: letters and digits, accents both ways macOS and Windows send them, scripts, emoji and their sequences. */
  private static final List<String> PARTS = List.of("a", "Z", "7", " ", "-", "(", ")", "'", "\u00fc", "u\u0308", "\u00e9", "e\u0301",
      "\u00c5", "A\u030a", "\u212b", "\u5bb6", "\u65e5\u672c", "\u2713", "\u00df", "\uD83C\uDF55", "\uD83D\uDC68\u200D\uD83D\uDC69",
      "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67", "\u2764\uFE0F\u200D\uD83D\uDD25", "\uD83D\uDC4B\uD83C\uDFFD",
      "\uD83C\uDDE9\uD83C\uDDEA", "\uD83C\uDFF4\uDB40\uDC67\uDB40\uDC62\uDB40\uDC65\uDB40\uDC6E\uDB40\uDC67\uDB40\uDC7F");
  /** Refused wherever they stand inside a name (the ones a trim would remove are put between other characters); a joiner out of place is InstanceRulesTest's. */
  private static final List<String> CONTROLS = List.of("\n", "\r", "\t", "\u0007", "\u2028", "\u0085");
  /** Invisible or reordering: refused by code point, as the person sees nothing where they stand. */
  private static final List<String> FORMATS = List.of("\u202e", "\u200b", "\u2066", "\uDB40\uDC01", "\u00ad", "\ufeff");

  @Property(tries = 300)
  void aNameTheReadmeCallsValidIsAcceptedAndStoredComposed(@ForAll("names") String typed) {
    String composed = Normalizer.normalize(typed.trim(), Normalizer.Form.NFC);
    Assume.that(!composed.isEmpty() && InstanceRules.characters(composed) <= InstanceNames.NAME_LENGTH);

    assertThat(InstanceNames.problem(typed)).as(typed).isEmpty();
    assertThat(form(typed).validate(QUARTZ).settings().name()).isEqualTo(composed);
  }

  @Property(tries = 300)
  void aNameOverSixtyCharactersIsRefusedNamingItsLength(@ForAll("names") String a, @ForAll("names") String b) {
    String typed = "x" + a + b + "x".repeat(60);
    int length = InstanceRules.characters(Normalizer.normalize(typed, Normalizer.Form.NFC));

    assertThat(InstanceNames.problem(typed)).hasValue("Give it a name of 1 to 60 characters (this one has " + length + ").");
  }

  @Property(tries = 300)
  void aControlCharacterInsideANameIsRefusedAsOne(@ForAll("names") String typed, @ForAll("controls") String control,
                                                  @ForAll @IntRange(min = 0, max = 100) int at) {
    String name = "x" + typed.substring(0, Math.min(at, typed.length())) + control + typed.substring(Math.min(at, typed.length())) + "x";
    Assume.that(InstanceRules.characters(Normalizer.normalize(name, Normalizer.Form.NFC)) <= InstanceNames.NAME_LENGTH);

    assertThat(InstanceNames.problem(name)).as(name).hasValue("A name cannot contain line breaks, tabs or other control characters.");
  }

  @Property(tries = 200)
  void aFormatCharacterInsideANameIsRefusedByItsCodePoint(@ForAll("names") String typed, @ForAll("formats") String format,
                                                          @ForAll @IntRange(min = 0, max = 100) int at) {
    String name = "x" + typed.substring(0, Math.min(at, typed.length())) + format + typed.substring(Math.min(at, typed.length())) + "x";
    Assume.that(InstanceRules.characters(Normalizer.normalize(name, Normalizer.Form.NFC)) <= InstanceNames.NAME_LENGTH);

    // (the code point named may be a joiner the insertion took out of its emoji sequence: refused as well, and first)
    assertThat(InstanceNames.problem(name)).as(name).get().asString().startsWith("A name cannot contain U+").endsWith(": remove it.");
  }

  @Provide
  Arbitrary<String> formats() {
    return Arbitraries.of(FORMATS);
  }

  @Property(tries = 200)
  void aFullWidthLetterIsRefusedWithThePlainFormToWrite(@ForAll("names") String typed, @ForAll("fullWidth") char wide) {
    String name = "x" + typed + wide;
    Assume.that(InstanceRules.characters(Normalizer.normalize(name, Normalizer.Form.NFC)) <= InstanceNames.NAME_LENGTH);

    assertThat(InstanceNames.problem(name)).as(name).get().asString().startsWith("A name cannot use full-width or other look-alike forms")
        .endsWith(Normalizer.normalize(name.trim(), Normalizer.Form.NFKC) + ".");
  }

  /** Latin letters and the Cyrillic or Greek ones drawn the same (UTS #39's confusables): one swapped into a Latin word. */
  private static final String LATIN = "aceopxyABCEHKMOPTX";
  private static final String CYRILLIC = "\u0430\u0441\u0435\u043e\u0440\u0445\u0443\u0410\u0412\u0421\u0415\u041d\u041a\u041c\u041e\u0420\u0422\u0425";

  @Property(tries = 200)
  void aLatinWordWithOneCyrillicLookAlikeIsRefusedWhileWordsOfOneScriptPass(@ForAll("latinWords") String word, @ForAll("names") String other,
                                                                            @ForAll @IntRange(min = 0, max = 17) int letter) {
    String plain = word + LATIN.charAt(letter);
    String spoofed = word + CYRILLIC.charAt(letter);
    String cyrillicWord = CYRILLIC.substring(0, 1 + letter);
    Assume.that(InstanceRules.characters(Normalizer.normalize(other + " " + plain, Normalizer.Form.NFC)) <= InstanceNames.NAME_LENGTH);
    // (the all-Cyrillic word can be longer than the plain one)
    Assume.that(InstanceRules.characters(Normalizer.normalize(other + " " + cyrillicWord, Normalizer.Form.NFC)) <= InstanceNames.NAME_LENGTH);

    assertThat(InstanceNames.problem(other + " " + plain)).as(other + " " + plain).isEmpty();
    assertThat(InstanceNames.problem(other + " " + spoofed)).as(spoofed).get().asString()
        .startsWith("A word of a name cannot mix scripts: \"").contains("Cyrillic and Latin letters");
    assertThat(InstanceNames.problem(other + " " + cyrillicWord)).as("a word all in Cyrillic is a word").isEmpty();
  }

  @Property(tries = 200)
  void aCodePointThatIsNoTextIsRefusedAmongValidText(@ForAll("names") String before, @ForAll("notText") int cp, @ForAll("names") String after) {
    // between whole sequences: inside an emoji sequence the joiner it breaks would be refused first, as a control character
    String name = "x" + before + new String(Character.toChars(cp)) + after + "x";
    Assume.that(InstanceRules.characters(Normalizer.normalize(name, Normalizer.Form.NFC)) <= InstanceNames.NAME_LENGTH);

    assertThat(InstanceNames.problem(name)).as(name).hasValueSatisfying(m -> assertThat(m).startsWith("A name cannot contain U+%04X,".formatted(cp)));
  }

  @Provide
  Arbitrary<String> latinWords() {
    return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ").ofMinLength(1).ofMaxLength(12);
  }

  @Provide
  Arbitrary<Integer> notText() {
    return Arbitraries.oneOf(Arbitraries.integers().between(0xE000, 0xF8FF), Arbitraries.integers().between(0xFDD0, 0xFDEF),
        Arbitraries.of(0xFFFE, 0xFFFF, 0x1FFFE, 0x10FFFF), Arbitraries.integers().between(0xF0000, 0xFFFFD));
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.of(PARTS).list().ofMinSize(1).ofMaxSize(20).map(parts -> String.join("", parts));
  }

  @Provide
  Arbitrary<String> controls() {
    return Arbitraries.of(CONTROLS);
  }

  @Provide
  Arbitrary<Character> fullWidth() {
    return Arbitraries.chars().range('\uff21', '\uff3a');
  }

  private static InstanceForm form(String name) {
    InstanceForm b = InstanceForm.blank();
    return new InstanceForm(name, "http://pi.hole", "pw", null, b.tlsMode(), b.caPem(), b.fingerprint(), b.timeoutSeconds(), "daily",
        b.time(), b.day(), b.cron(), b.maxBackups(), b.maxAgeDays(), b.keepDaily(), b.keepWeekly(), b.keepMonthly(), false, true);
  }
}
