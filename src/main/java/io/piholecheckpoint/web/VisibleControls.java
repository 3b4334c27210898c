package io.piholecheckpoint.web;

import freemarker.template.TemplateMethodModelEx;
import freemarker.template.TemplateModelException;
import freemarker.template.TemplateScalarModel;
import java.util.List;

/**
 * {@code visible(text)} in templates: the text with each character a reader cannot see, or that reorders the text
 * around it, written out as {@code ⟨U+202E⟩}. A person comparing two backups must see that a comment holds a U+202E,
 * and a value that holds one must not reverse the line it is shown on. Joiners (U+200C, U+200D), variation selectors
 * and tag characters stay as they are: emoji and several scripts are written with them.
 */
final class VisibleControls implements TemplateMethodModelEx {
  @Override
  public Object exec(@SuppressWarnings("rawtypes") List arguments) throws TemplateModelException {
    if (arguments.size() != 1 || !(arguments.get(0) instanceof TemplateScalarModel text)) {
      throw new TemplateModelException("visible(text) takes one text");
    }
    return shown(text.getAsString());
  }

  static String shown(String text) {
    if (text.codePoints().noneMatch(VisibleControls::hidden)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    text.codePoints().forEach(cp -> {
      if (hidden(cp)) {
        out.append("\u27e8U+%04X\u27e9".formatted(cp));
      } else {
        out.appendCodePoint(cp);
      }
    });
    return out.toString();
  }

  static boolean hidden(int cp) {
    boolean bidi = (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F || cp == 0x061C;
    boolean invisible = cp == 0x200B || cp == 0x2060 || cp == 0xFEFF || cp == 0x00AD || cp == 0x2028 || cp == 0x2029;
    // a tab or a line break in a comment is shown as the space it renders as; every other control is not text at all
    boolean control = Character.isISOControl(cp) && cp != '\t' && cp != '\n' && cp != '\r';
    return bidi || invisible || control;
  }
}
