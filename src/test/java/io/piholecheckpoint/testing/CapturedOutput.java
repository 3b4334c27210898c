package io.piholecheckpoint.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What this JVM writes to System.out and System.err (slf4j-simple's log lines among it), still
 * written there and also copied to each open capture: the log of an app started in the test's
 * own JVM, for tests that read it as they would a process's output.
 */
public final class CapturedOutput implements AutoCloseable {
  private static final List<ByteArrayOutputStream> open = new CopyOnWriteArrayList<>();
  private static boolean installed;
  private final ByteArrayOutputStream text = new ByteArrayOutputStream();

  private CapturedOutput() {
  }

  /** Copies everything written from now on until {@link #close()}. */
  public static synchronized CapturedOutput start() {
    if (!installed) {
      System.setOut(tee(System.out));
      System.setErr(tee(System.err));
      installed = true;
    }
    CapturedOutput capture = new CapturedOutput();
    open.add(capture.text);
    return capture;
  }

  private static PrintStream tee(PrintStream original) {
    return new PrintStream(new OutputStream() {
      @Override
      public void write(int b) {
        original.write(b);
        for (ByteArrayOutputStream sink : open) {
          sink.write(b);
        }
      }

      @Override
      public void write(byte[] b, int off, int len) {
        original.write(b, off, len);
        for (ByteArrayOutputStream sink : open) {
          sink.write(b, off, len);
        }
      }

      @Override
      public void flush() {
        original.flush();
      }
    }, true, StandardCharsets.UTF_8);
  }

  public String text() {
    return text.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    open.remove(text);
  }
}
