package io.piholecheckpoint.teleporter;

import io.piholecheckpoint.core.archive.InvalidArchiveException;
import io.piholecheckpoint.core.units.ByteSize;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What one archive may unpack to, counted on the bytes as they come out of the inflater: the sizes
 * an entry's headers declare are written by whoever made the archive and prove nothing. A real
 * Teleporter archive of a Pi-hole with 1,000,000 domains unpacks to about 100 MB (gravity.db);
 * the limits leave five times that, and a ZIP bomb is stopped at the first limit it reaches,
 * after reading, never writing, at most that much.
 */
final class InflationBudget {
  /** One entry: a gravity.db of about five million domains. */
  static final long MAX_ENTRY_BYTES = 512L * 1024 * 1024;
  /** All entries together. */
  static final long MAX_TOTAL_BYTES = 1024L * 1024 * 1024;
  /** Unpacked per packed byte, once an entry passes {@link #RATIO_FREE_BYTES}: SQLite's empty pages pack about 40:1. */
  static final long MAX_RATIO = 200;
  static final long RATIO_FREE_BYTES = 1024L * 1024;

  private long total;

  /** The entry's bytes, refused with an {@link InvalidArchiveException} as soon as they pass a limit. */
  InputStream open(ZipFile zip, ZipEntry entry) throws IOException {
    return new Counted(zip.getInputStream(entry), entry, MAX_ENTRY_BYTES, ratioLimit(entry), null);
  }

  /**
   * The same, with a lower limit for this entry and a message that says what a real one weighs;
   * the limit is small enough that the ratio need not be checked.
   */
  InputStream open(ZipFile zip, ZipEntry entry, long maxBytes, String realSize) throws IOException {
    return new Counted(zip.getInputStream(entry), entry, Math.min(maxBytes, MAX_ENTRY_BYTES), Long.MAX_VALUE, realSize);
  }

  /** ZipFile reads no more packed bytes than the central directory gives, so this bound holds whatever the headers say. */
  private static long ratioLimit(ZipEntry entry) {
    long packed = Math.max(entry.getCompressedSize(), 0);
    return Math.max(RATIO_FREE_BYTES, packed > Long.MAX_VALUE / MAX_RATIO ? Long.MAX_VALUE : packed * MAX_RATIO);
  }

  private void count(long n, ZipEntry entry) {
    total += n;
    if (total > MAX_TOTAL_BYTES) {
      throw new InvalidArchiveException("the archive unpacks to more than %d MiB (at %s), more than any Teleporter archive: refused as a likely ZIP bomb"
          .formatted(MAX_TOTAL_BYTES >> 20, entry.getName()));
    }
  }

  static String tooLarge(String name, long maxBytes, String realSize) {
    return "the archive's %s unpacks to more than %d MiB; a real one is %s, so this archive was not made by Pi-hole".formatted(name, maxBytes >> 20, realSize);
  }

  private final class Counted extends FilterInputStream {
    private final ZipEntry entry;
    private final long maxBytes;
    private final long ratioLimit;
    private final String realSize;
    private long inflated;

    Counted(InputStream in, ZipEntry entry, long maxBytes, long ratioLimit, String realSize) {
      super(in);
      this.entry = entry;
      this.maxBytes = maxBytes;
      this.ratioLimit = ratioLimit;
      this.realSize = realSize;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b != -1) {
        counted(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        counted(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      counted(skipped);
      return skipped;
    }

    private void counted(long n) {
      inflated += n;
      if (inflated > maxBytes) {
        throw new InvalidArchiveException(realSize != null ? tooLarge(entry.getName(), maxBytes, realSize)
            : "the archive's entry %s unpacks to more than %d MiB: refused as a likely ZIP bomb".formatted(entry.getName(), maxBytes >> 20));
      }
      if (inflated > ratioLimit) {
        throw new InvalidArchiveException("the archive's entry %s unpacks to more than %d times its packed size of %s: refused as a likely ZIP bomb"
            .formatted(entry.getName(), MAX_RATIO, ByteSize.format(entry.getCompressedSize())));
      }
      count(n, entry);
    }
  }
}
