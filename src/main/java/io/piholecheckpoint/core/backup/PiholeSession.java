package io.piholecheckpoint.core.backup;

import java.io.IOException;
import java.io.InputStream;

/** One logged-in conversation with a Pi-hole. {@link #close()} logs out, and never throws. */
public interface PiholeSession extends AutoCloseable {

  /** Reads a streamed answer; the stream is closed by the session afterwards. */
  interface StreamReader<T> {
    T read(InputStream in) throws IOException;
  }

  /** The FTL version, e.g. "v6.4.1", or null when the Pi-hole does not say. */
  String version();

  /** Streams {@code GET /api/teleporter} through {@code reader}. */
  <T> T exportTeleporter(StreamReader<T> reader);

  @Override
  void close();
}
