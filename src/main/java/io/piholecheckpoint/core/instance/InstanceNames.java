package io.piholecheckpoint.core.instance;

import io.piholecheckpoint.core.units.LogText;
import java.text.Normalizer;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an instance may be called, wherever the name comes from (the API, the form, the environment, an off-site
 * manifest, the original app's records), and the one form it is stored and compared in.
 */
public final class InstanceNames {
  public static final int NAME_LENGTH = 60;

  private InstanceNames() {
  }

  /**
   * Names reach logs, pages, e-mail and webhooks: printable text only. Lengths count characters as
   * a person does (code points: an emoji is one), not Java's UTF-16 units. The name is judged in
   * its composed form (NFC), the form it is stored in: macOS sends "café" as "cafe" and a combining
   * accent, which is the same name, not a look-alike of it.
   */
  public static Optional<String> problem(String name) {
    String n = normal(name);
    int length = n.codePointCount(0, n.length());
    if (n.isEmpty() || length > NAME_LENGTH) {
      return Optional.of("Give it a name of 1 to " + NAME_LENGTH + " characters" + (n.isEmpty() ? "." : " (this one has " + length + ")."));
    }
    if (n.indexOf(REPLACEMENT) >= 0) {
      // what a decoder leaves for bytes it could not read: the name the user wrote is already lost, and storing the
      // stand-in would give an instance a name nobody typed (and two such names that look the same)
      return Optional.of(("A name cannot contain U+FFFD, the replacement character: it stands where bytes were not valid text in the"
          + " character set they were read with (this process reads its environment as %s). Write the name in UTF-8, and start the"
          + " server with a UTF-8 locale (e.g. LANG=C.UTF-8).").formatted(environmentCharset()));
    }
    OptionalInt control = firstControl(n);
    if (control.isPresent()) {
      return Optional.of(controlProblem(control.getAsInt()));
    }
    int first = n.codePointAt(0);
    if (isMark(first)) {
      return Optional.of("A name cannot start with U+%04X, a combining mark on its own: a mark needs a letter before it.".formatted(first));
    }
    int bare = markAfterSpace(n);
    if (bare >= 0) {
      // drawn on the space, or over the letter before it, depending on the device: two such names look alike
      return Optional.of("A name cannot have U+%04X, a combining mark, right after a space: a mark needs a letter before it.".formatted(bare));
    }
    Optional<String> notText = n.codePoints().mapToObj(InstanceNames::notText).flatMap(Optional::stream).findFirst();
    if (notText.isPresent()) {
      return notText;
    }
    Optional<String> space = n.codePoints().filter(cp -> cp != ' ' && Character.getType(cp) == Character.SPACE_SEPARATOR).boxed()
        .findFirst().map(cp -> "A name cannot contain " + spaceName(cp) + " (U+%04X): use the plain space instead.".formatted(cp));
    if (space.isPresent()) {
      return space;
    }
    String plain = Normalizer.normalize(n, Normalizer.Form.NFKC);
    if (!plain.equals(n)) {
      // full-width "ＨＯＭＥ" looks like HOME, gets its file names and folder off-site, and is another name everywhere else
      return Optional.of("A name cannot use full-width or other look-alike forms of letters and digits: write it as " + plain + ".");
    }
    return mixedScripts(n);
  }

  /**
   * A code point that is no text of its own: a private-use character (each font draws its own, or
   * nothing), a noncharacter (U+FFFE, U+FFFF, U+FDD0…), one Unicode has not assigned, or half a
   * surrogate pair. Two names of them look alike, or like nothing, on another device.
   */
  private static Optional<String> notText(int cp) {
    int type = Character.getType(cp);
    String what = type == Character.PRIVATE_USE ? "a private-use character, which each device draws differently or not at all"
        : (cp & 0xFFFE) == 0xFFFE || (cp >= 0xFDD0 && cp <= 0xFDEF) ? "a noncharacter, which is not text"
        : type == Character.SURROGATE ? "half of a character (a lone surrogate)"
        : type == Character.UNASSIGNED ? "a code point Unicode has not assigned" : null;
    return Optional.ofNullable(what).map(w -> "A name cannot contain U+%04X, %s: use letters, digits, spaces and punctuation.".formatted(cp, w));
  }

  private static final char REPLACEMENT = '\uFFFD';

  /** The character set the JVM decodes environment variables with (from the locale it started in; not file.encoding). */
  private static String environmentCharset() {
    return System.getProperty("sun.jnu.encoding", java.nio.charset.Charset.defaultCharset().name());
  }

  /** The first combining mark that follows a plain space, or -1. */
  private static int markAfterSpace(String n) {
    int before = -1;
    for (int i = 0; i < n.length(); ) {
      int cp = n.codePointAt(i);
      if (before == ' ' && isMark(cp)) {
        return cp;
      }
      before = cp;
      i += Character.charCount(cp);
    }
    return -1;
  }

  private static boolean isMark(int cp) {
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.COMBINING_SPACING_MARK;
  }

  /**
   * Line breaks and the like are named as such; a format character is named by its code point and what it does, since
   * the person looking at the refused name sees nothing there.
   */
  private static String controlProblem(int cp) {
    if (Character.getType(cp) != Character.FORMAT) {
      return "A name cannot contain line breaks, tabs or other control characters.";
    }
    boolean bidi = (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F || cp == 0x061C;
    String what = bidi ? "a bidirectional control, which reorders the text around it so that the name reads as another"
        : "an invisible (format) character, which would make two names that look the same";
    return "A name cannot contain U+%04X, %s: remove it.".formatted(cp, what);
  }

  private static String spaceName(int cp) {
    return switch (cp) {
      case 0x00A0 -> "a non-breaking space";
      case 0x202F -> "a narrow non-breaking space";
      case 0x3000 -> "a full-width space";
      default -> "a special-width space";
    };
  }

  /**
   * A word that mixes scripts, such as a Latin name with a Cyrillic "а" in it, looks like another
   * name: refused, after UTS #39's "highly restrictive" level, applied word by word. A word keeps to
   * one script, or to Latin with Han and Japanese kana, with Han and Bopomofo, or with Han and Hangul,
   * as those languages are written; signs, digits, punctuation and emoji belong to every script. Words
   * of different scripts side by side ("Küche Кухня") are two words, each plain to read.
   */
  private static Optional<String> mixedScripts(String n) {
    for (String word : n.split("[^\\p{L}\\p{M}]+")) {
      Set<Character.UnicodeScript> scripts = word.codePoints().mapToObj(Character.UnicodeScript::of)
          .filter(sc -> sc != Character.UnicodeScript.COMMON && sc != Character.UnicodeScript.INHERITED)
          .collect(Collectors.toCollection(() -> EnumSet.noneOf(Character.UnicodeScript.class)));
      if (scripts.size() > 1 && MIXES.stream().noneMatch(allowed -> allowed.containsAll(scripts))) {
        String names = scripts.stream().map(sc -> titleCase(sc.name())).sorted().collect(Collectors.joining(" and "));
        return Optional.of(("A word of a name cannot mix scripts: \"%s\" mixes %s letters, so it looks like another name. Write each word in one"
            + " script.").formatted(word, names));
      }
    }
    return Optional.empty();
  }

  private static final List<Set<Character.UnicodeScript>> MIXES = List.of(
      EnumSet.of(Character.UnicodeScript.LATIN, Character.UnicodeScript.HAN, Character.UnicodeScript.HIRAGANA, Character.UnicodeScript.KATAKANA),
      EnumSet.of(Character.UnicodeScript.LATIN, Character.UnicodeScript.HAN, Character.UnicodeScript.BOPOMOFO),
      EnumSet.of(Character.UnicodeScript.LATIN, Character.UnicodeScript.HAN, Character.UnicodeScript.HANGUL));

  private static String titleCase(String scriptName) {
    return scriptName.charAt(0) + scriptName.substring(1).toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  /** A name as it is stored: trimmed, and composed (NFC), whatever form the keyboard sent. */
  public static String normal(String name) {
    return name == null ? "" : Normalizer.normalize(name.trim(), Normalizer.Form.NFC);
  }

  /**
   * What two names are compared by, for "is this name taken": compatibility-composed (NFKC: "ﬁ" is "fi", a full-width
   * "Ａ" is "A"), then upper and lower case in the root locale, which folds what one lower case alone leaves apart
   * ("Straße" and "STRASSE", "ς" and "Σ"), and a dot above an i dropped: "İ" lowers to "i" with a combining dot, which
   * reads as the "i" of "info". The JDK's own tables, no ICU; the name itself is kept as it was written.
   */
  public static boolean same(String a, String b) {
    return a != null && b != null && key(a).equals(key(b));
  }

  /** The form {@link #same} compares names in: equal keys, the same name. */
  public static String key(String name) {
    String folded = Normalizer.normalize(normal(name), Normalizer.Form.NFKC).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    return Normalizer.normalize(folded.replace("i\u0307", "i"), Normalizer.Form.NFC);
  }

  /**
   * Control and format characters, except those that join an emoji sequence: a zero-width joiner
   * between two pictographs (the family 👨‍👩) and the tag characters of a subdivision flag (🏴 of
   * England). Anywhere else they are invisible, and would make "HOME" and "HO\u200dME" two names.
   */
  private static OptionalInt firstControl(String n) {
    int[] cps = n.codePoints().toArray();
    boolean inFlagTags = false;
    OptionalInt firstFormat = OptionalInt.empty();
    for (int i = 0, at = 0; i < cps.length; at += Character.charCount(cps[i]), i++) {
      int cp = cps[i];
      inFlagTags = cp == BLACK_FLAG || (inFlagTags && cp >= 0xE0020 && cp <= 0xE007F && cps[i - 1] != 0xE007F);
      if (LogText.unsafe(cp) && !LogText.joinsEmoji(n, at) && !(inFlagTags && cp != BLACK_FLAG)) {
        if (Character.getType(cp) != Character.FORMAT) {
          return OptionalInt.of(cp); // a line break or tab is the problem to name, before an invisible character beside it
        }
        firstFormat = firstFormat.isPresent() ? firstFormat : OptionalInt.of(cp);
      }
    }
    return firstFormat;
  }

  private static final int BLACK_FLAG = 0x1F3F4;
}
