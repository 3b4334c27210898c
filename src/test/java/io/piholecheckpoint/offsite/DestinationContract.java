package io.piholecheckpoint.offsite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.DestinationException;
import io.piholecheckpoint.core.offsite.remote.RemoteObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What every kind of destination does, run against a real server of that kind by each adapter's
 * test: extend it, start the server, and hand over a destination on an empty prefix per test.
 */
public abstract class DestinationContract {

  /** A destination writing below a prefix no other test uses. */
  protected abstract Destination destination() throws Exception;

  @Test
  void storesAnObjectAndReadsBackItsSizeAndDigestFromTheDestination() throws Exception {
    try (Destination d = destination()) {
      byte[] bytes = randomBytes(70_000, 1);
      d.put("home/home_20261202T030000Z_ab12cd.zip.gpg", new ByteArrayInputStream(bytes), bytes.length);

      RemoteObject stored = d.check("home/home_20261202T030000Z_ab12cd.zip.gpg").orElseThrow();
      assertThat(stored.size()).isEqualTo(bytes.length);
      assertThat(stored.sha256()).isEqualTo(sha256(bytes));
      try (InputStream in = d.open("home/home_20261202T030000Z_ab12cd.zip.gpg")) {
        assertThat(in.readAllBytes()).isEqualTo(bytes);
      }
    }
  }

  @Test
  void replacesWhatIsStoredUnderTheSameKey() throws Exception {
    try (Destination d = destination()) {
      d.put("a/x.json", text("first, longer content"), 21);
      d.put("a/x.json", text("second"), 6);
      assertThat(d.check("a/x.json").orElseThrow().sha256()).isEqualTo(sha256("second".getBytes(StandardCharsets.UTF_8)));
      assertThat(d.list("a/")).extracting(RemoteObject::key).containsExactly("a/x.json");
    }
  }

  @Test
  void saysNothingIsThereForAKeyNeverWritten() throws Exception {
    try (Destination d = destination()) {
      assertThat(d.check("nobody/none.zip")).isEmpty();
      assertThatThrownBy(() -> d.open("nobody/none.zip")).isInstanceOfSatisfying(DestinationException.class,
          e -> assertThat(e.problem()).isEqualTo(DestinationException.Problem.MISSING));
    }
  }

  @Test
  void listsByPrefixWithSizes() throws Exception {
    try (Destination d = destination()) {
      d.put("home/a.zip", text("aaa"), 3);
      d.put("home/a.zip.json", text("{}"), 2);
      d.put("office/b.zip", text("bbbb"), 4);
      assertThat(d.list("home/")).extracting(RemoteObject::key, RemoteObject::size)
          .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("home/a.zip", 3L), org.assertj.core.groups.Tuple.tuple("home/a.zip.json", 2L));
      assertThat(d.list("")).hasSize(3);
    }
  }

  @Test
  void deletesAndDeletingTwiceIsNoError() throws Exception {
    try (Destination d = destination()) {
      d.put("home/gone.zip", text("x"), 1);
      d.delete("home/gone.zip");
      d.delete("home/gone.zip");
      assertThat(d.check("home/gone.zip")).isEmpty();
      assertThat(d.list("home/")).isEmpty();
    }
  }

  @Test
  void anUploadCutInTheMiddleLeavesNothingUnderTheKey() throws Exception {
    try (Destination d = destination()) {
      InputStream cut = new InputStream() {
        private int left = 200_000;

        @Override
        public int read() throws IOException {
          if (left <= 0) { // and stays failed: InputStream.read(byte[]) swallows a failure after the first byte
            throw new IOException("the archive's disk failed");
          }
          left--;
          return 7;
        }
      };
      assertThatThrownBy(() -> d.put("home/cut.zip", cut, 1_000_000)).isInstanceOf(IOException.class);
      assertThat(d.check("home/cut.zip")).isEmpty();
      assertThat(d.list("")).extracting(RemoteObject::key).doesNotContain("home/cut.zip");
    }
  }

  @Test
  void anUploadCutBeforeItsLengthLeavesTheEarlierObject() throws Exception {
    try (Destination d = destination()) {
      d.put("home/kept.zip", text("old"), 3);
      assertThatThrownBy(() -> d.put("home/kept.zip", text("short"), 10)).isInstanceOf(IOException.class);
      assertThat(d.check("home/kept.zip").orElseThrow().sha256()).isEqualTo(sha256("old".getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  void refusesKeysThatLeaveThePrefix() throws Exception {
    try (Destination d = destination()) {
      for (String key : new String[] {"../x", "/abs", "a/../../x", "a//b", ""}) {
        assertThatThrownBy(() -> d.put(key, text("x"), 1)).as(key).isInstanceOf(IllegalArgumentException.class);
      }
    }
  }

  @Test
  void describesItselfWithoutSecrets() throws Exception {
    try (Destination d = destination()) {
      assertThat(d.describe()).isNotBlank();
      for (String secret : secrets()) {
        assertThat(d.describe()).doesNotContain(secret);
      }
    }
  }

  /** The secrets the destination was given, which must never show. */
  protected String[] secrets() {
    return new String[0];
  }

  protected static InputStream text(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  protected static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  protected static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
