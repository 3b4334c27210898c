package io.piholecheckpoint.core.download;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes of a download for {@link BackupProgress}; its end means verification begins.
 * Reports every 32 KiB, and at least every quarter second while bytes arrive: a Pi-hole that sends
 * a small archive slowly (a busy Pi, a slow link) shows it rising, not 0 until the end.
 */
final class ProgressStream extends FilterInputStream {
  private static final long REPORT_EVERY = 32 * 1024;
  private static final long REPORT_AFTER_NANOS = 250_000_000L;
  private final BackupProgress progress;
  private long bytes;
  private long reported = -1;
  private long reportedAt = System.nanoTime();

  ProgressStream(InputStream in, BackupProgress progress) {
    super(in);
    this.progress = progress;
    progress.downloading(0);
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    count(b < 0 ? -1 : 1);
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    count(n);
    return n;
  }

  private void count(int n) {
    if (n < 0) {
      progress.downloading(bytes);
      progress.verifying();
      return;
    }
    bytes += n;
    long now = System.nanoTime();
    if (bytes - reported >= REPORT_EVERY || (n > 0 && now - reportedAt >= REPORT_AFTER_NANOS)) {
      reported = bytes;
      reportedAt = now;
      progress.downloading(bytes);
    }
  }
}
