package io.piholecheckpoint.core.backup;

import java.io.IOException;
import java.io.InputStream;

/** One logged-in conversation with a Pi-hole. {@link #close()} logs out, and never throws. */
public interface PiholeSession extends AutoCloseable {

  /** Reads a streamed answer; the stream is closed by the session afterwards. */
  interface StreamReader<T> {
    T read(InputStream in) throws IOException;
  }

  PiholeVersions versions();

  /** How this session was opened: "password", "app password" (read-only unless app_sudo), "password and 2FA code" or "no password". */
  String authentication();

  /** API seats in use on the Pi-hole after our stale ones were given back, or null if unknown. */
  Integer seatsInUse();

  /** Streams {@code GET /api/teleporter} through {@code reader}. */
  <T> T exportTeleporter(StreamReader<T> reader);

  @Override
  void close();
}
