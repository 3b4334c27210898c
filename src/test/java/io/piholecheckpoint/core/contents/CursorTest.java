package io.piholecheckpoint.core.contents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** A cursor comes back as it was handed out, for the list it was handed out for, or not at all. */
class CursorTest {

  @Property
  void decodesWhatItEncoded(@ForAll String key1, @ForAll long key2) {
    String text = new Cursor(key1, key2).encode("diff:domains:added");

    Cursor back = Cursor.decode(text, "diff:domains:added");

    assertThat(back).isEqualTo(new Cursor(key1, key2));
    assertThat(back.sortKey()).isEqualTo(NaturalOrder.key(back.key1()));
  }

  @Property
  void refusesAnyChangedByte(@ForAll @IntRange(min = 0, max = 40) int at, @ForAll @IntRange(min = 1, max = 255) int flip) {
    byte[] bytes = Base64.getUrlDecoder().decode(new Cursor("d1000.deny.example.net", 1).encode("diff:domains:added"));
    bytes[at % bytes.length] ^= (byte) flip;
    String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

    assertThatThrownBy(() -> Cursor.decode(tampered, "diff:domains:added")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("start again without it");
  }

  /** The decoder alone would take "…B" for "…A" when only the unused low bits of the last character differ. */
  @Property
  void refusesAnyEditedCharacter(@ForAll String key1, @ForAll long key2, @ForAll @IntRange(min = 0, max = 1000) int at,
      @ForAll @IntRange(min = 0, max = 64) int to) {
    String cursor = new Cursor(key1, key2).encode("diff:domains:added");
    String edited = edit(cursor, at, to);
    String bound = Cursor.bind(cursor, "backup:12");
    String boundEdited = edit(bound, at, to);

    assertThatThrownBy(() -> Cursor.decode(edited, "diff:domains:added")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("start again without it");
    assertThatThrownBy(() -> Cursor.unbind(boundEdited, "backup:12")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("start again without it");
  }

  @Example
  void refusesTheLastCharacterWithOtherUnusedBits() {
    String cursor = new Cursor("a.example", 1).encode("diff:domains:added");   // 6 + 2 * 11 bytes: the last character's 4 low bits are unused
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char last = cursor.charAt(cursor.length() - 1);
    String lowBitSet = cursor.substring(0, cursor.length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ 1);

    assertThat(Base64.getUrlDecoder().decode(lowBitSet)).as("the same bytes").isEqualTo(Base64.getUrlDecoder().decode(cursor));
    assertThatThrownBy(() -> Cursor.decode(lowBitSet, "diff:domains:added")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cursor.decode(cursor + "==", "diff:domains:added")).as("padded").isInstanceOf(IllegalArgumentException.class);
  }

  /** {@code text} with one character (at {@code at}, wrapped) replaced by another base64url character, or by '=' for 64. */
  private static String edit(String text, int at, int to) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=";
    int i = at % text.length();
    char replacement = alphabet.charAt(to);
    if (replacement == text.charAt(i)) {
      replacement = alphabet.charAt((to + 1) % alphabet.length());
    }
    return text.substring(0, i) + replacement + text.substring(i + 1);
  }

  @Property
  void refusesTextItNeverHandedOut(@ForAll String text) {
    assertThatThrownBy(() -> Cursor.decode(text, "contents:domains")).isInstanceOf(IllegalArgumentException.class);
  }

  @Example
  void refusesACursorOfAnotherList() {
    String added = new Cursor("a.example", 1).encode("diff:domains:added");

    assertThatThrownBy(() -> Cursor.decode(added, "diff:domains:removed")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cursor.decode(added, "contents:domains")).isInstanceOf(IllegalArgumentException.class);
  }

  @Example
  void aBoundCursorBelongsToItsOwnerOnly() {
    String inner = new Cursor("a.example", 1).encode("list:domains");
    String bound = Cursor.bind(inner, "backup:12");

    assertThat(Cursor.unbind(bound, "backup:12")).isEqualTo(inner);
    assertThat(Cursor.bind(null, "backup:12")).isNull();
    assertThatThrownBy(() -> Cursor.unbind(bound, "backup:13")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("for this backup and list").hasMessageContaining("start again without it");
    assertThatThrownBy(() -> Cursor.unbind(inner, "backup:12")).as("a cursor not bound at all").isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cursor.unbind("%%", "backup:12")).isInstanceOf(IllegalArgumentException.class);
  }
}
