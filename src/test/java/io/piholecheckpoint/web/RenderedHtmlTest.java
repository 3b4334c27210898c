package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RenderedHtmlTest {
  private final RenderedHtml rendered = new RenderedHtml();

  @ParameterizedTest
  @ValueSource(strings = {"<p>plain ASCII</p>", "2 days ago · 2026-12-06 — 1,800 backups", "Ünïcödé Pi-hole → ホーム",
      "emoji \uD83D\uDE00 and more \uD83C\uDF89", "lone high \uD83D then text", "lone low \uDE00 then text", "ends high \uD83D"})
  void sendsTheBytesStringGetBytesGives(String text) throws IOException {
    RenderedHtml.Page page = rendered.open("page.ftlh");

    page.write(text);
    int length = page.finish();

    byte[] expected = text.getBytes(StandardCharsets.UTF_8);
    assertThat(length).isEqualTo(expected.length);
    assertThat(sent(page)).isEqualTo(expected);
  }

  @Test
  void keepsASurrogatePairWrittenInTwoHalves() throws IOException {
    RenderedHtml.Page page = rendered.open("page.ftlh");

    page.write("a\uD83D");
    page.write(new char[] {'\uDE00', 'b'}, 0, 2);
    page.finish();

    assertThat(sent(page)).isEqualTo("a\uD83D\uDE00b".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void growsPastItsFirstGuessAndTheLastPageOfItsTemplate() throws IOException {
    String big = "<tr><td>row · é</td></tr>\n".repeat(5_000);
    RenderedHtml.Page small = rendered.open("history.ftlh");
    small.write("<p>short</p>");
    small.finish();
    RenderedHtml.Page page = rendered.open("history.ftlh");

    for (int i = 0; i < big.length(); i += 37) {
      page.write(big, i, Math.min(37, big.length() - i));
    }
    page.write('!');
    page.finish();

    assertThat(sent(page)).isEqualTo((big + "!").getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] sent(RenderedHtml.Page page) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    page.sendTo(out);
    return out.toByteArray();
  }
}
