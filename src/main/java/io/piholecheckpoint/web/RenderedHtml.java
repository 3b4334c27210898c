package io.piholecheckpoint.web;

import java.io.OutputStream;
import java.io.Writer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pages rendered whole, as the UTF-8 bytes they are sent as. A template writes its page into a buffer the size of that
 * template's last page, encoding as it goes. A StringWriter grown by doubling, then copied to a String and again to bytes,
 * was half a megabyte of garbage per instance page (seven times the page); under concurrency that garbage, still referenced
 * by the requests under way when the young generation filled, was promoted and the old generation collected in full every
 * few hundred requests. (The JDK's OutputStreamWriter copies each string written into a char array of its own first.)
 */
final class RenderedHtml {
  private static final int FIRST_GUESS = 16 * 1024;

  /** The size of each template's last page: pages of one template differ by a few rows, seldom by much. */
  private final Map<String, Integer> lastSizes = new ConcurrentHashMap<>();

  /** A page of {@code template} to write; once written, {@link Page#finish()}. */
  Page open(String template) {
    int last = lastSizes.getOrDefault(template, FIRST_GUESS);
    return new Page(template, last + last / 8);
  }

  /** One page's bytes; not for more than one thread. */
  final class Page extends Writer {
    private final String template;
    private byte[] bytes;
    private int length;
    /** A high surrogate whose low half the next write brings (FreeMarker writes whole strings, but a Writer may be given halves). */
    private char high;

    private Page(String template, int capacity) {
      this.template = template;
      this.bytes = new byte[capacity];
    }

    @Override
    public void write(String s, int offset, int count) {
      room(count);
      for (int i = offset, end = offset + count; i < end; i++) {
        char c = s.charAt(i);
        if (c < 0x80 && high == 0 && length < bytes.length) {
          bytes[length++] = (byte) c;
        } else {
          put(c);
        }
      }
    }

    @Override
    public void write(char[] chars, int offset, int count) {
      room(count);
      for (int i = offset, end = offset + count; i < end; i++) {
        char c = chars[i];
        if (c < 0x80 && high == 0 && length < bytes.length) {
          bytes[length++] = (byte) c;
        } else {
          put(c);
        }
      }
    }

    @Override
    public void write(int c) {
      room(1);
      put((char) c);
    }

    /** As String.getBytes(UTF_8) encodes: a surrogate without its other half is a '?'. */
    private void put(char c) {
      room(4);
      if (high != 0) {
        char first = high;
        high = 0;
        if (Character.isLowSurrogate(c)) {
          int code = Character.toCodePoint(first, c);
          bytes[length++] = (byte) (0xF0 | code >> 18);
          bytes[length++] = (byte) (0x80 | code >> 12 & 0x3F);
          bytes[length++] = (byte) (0x80 | code >> 6 & 0x3F);
          bytes[length++] = (byte) (0x80 | code & 0x3F);
          return;
        }
        bytes[length++] = '?';
        room(4);
      }
      if (c < 0x80) {
        bytes[length++] = (byte) c;
      } else if (c < 0x800) {
        bytes[length++] = (byte) (0xC0 | c >> 6);
        bytes[length++] = (byte) (0x80 | c & 0x3F);
      } else if (Character.isHighSurrogate(c)) {
        high = c;
      } else if (Character.isLowSurrogate(c)) {
        bytes[length++] = '?';
      } else {
        bytes[length++] = (byte) (0xE0 | c >> 12);
        bytes[length++] = (byte) (0x80 | c >> 6 & 0x3F);
        bytes[length++] = (byte) (0x80 | c & 0x3F);
      }
    }

    /** Room for {@code count} more bytes: ASCII takes one byte a char; anything else makes room for itself as it comes. */
    private void room(int count) {
      if (bytes.length - length < count) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + count));
      }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    /** The page's length in bytes, once the template has written all of it. */
    int finish() {
      if (high != 0) {
        high = 0;
        room(1);
        bytes[length++] = '?';
      }
      lastSizes.put(template, length);
      return length;
    }

    void sendTo(OutputStream out) throws java.io.IOException {
      out.write(bytes, 0, length);
    }
  }
}
