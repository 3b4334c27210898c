package io.piholecheckpoint.core.gateway;

import java.io.IOException;
import java.io.InputStream;

/** One logged-in conversation with a Pi-hole. {@link #close()} logs out, and never throws. */
public interface PiholeSession extends AutoCloseable {

  /** Reads a streamed answer; the stream is closed by the session afterwards. */
  interface StreamReader<T> {
    T read(InputStream in) throws IOException;
  }

  PiholeVersions versions();

  /**
   * Asks for the versions now and answers them when called: a session that overlaps the request
   * with others (the export) saves a round trip to the Pi-hole.
   */
  default java.util.function.Supplier<PiholeVersions> versionsLater() {
    PiholeVersions versions = versions();
    return () -> versions;
  }

  /** How this session was opened: "password", "app password" (read-only unless app_sudo), "password and 2FA code" or "no password". */
  String authentication();

  /** API seats other clients hold on the Pi-hole (not our stale ones, given back, nor this session), or null if unknown. */
  Integer seatsInUse();

  /** Streams {@code GET /api/teleporter} through {@code reader}. */
  <T> T exportTeleporter(StreamReader<T> reader);

  /**
   * {@code POST /api/teleporter}: imports the archive, all of it or only what {@code scope}
   * says. Returns the files Pi-hole says it processed. FTL restarts itself
   * right after answering: call {@link #awaitRestart} before the next request.
   *
   * @throws PiholeException with failure READ_ONLY for an app password without app_sudo
   */
  java.util.List<String> importTeleporter(java.nio.file.Path archive, ImportScope scope);

  /**
   * {@code PATCH /api/config} of one key; empty when accepted, else Pi-hole's reason (e.g. forced by FTLCONF_).
   *
   * @throws PiholeException with failure SERVER_UNAVAILABLE when it answers 503: not ready, nothing applied, no refusal; WRONG_PASSWORD
   *     when it answers 401: it no longer knew the session, nothing applied — log in again and send it once more
   */
  java.util.Optional<String> patchConfig(String dottedKey, String jsonValue);

  /**
   * Waits, a bounded time, until the Pi-hole runs an FTL process started after the import (not the
   * one that answered it, which may take a while to go down) and answers reads of its gravity
   * database again: once it returns, the Pi-hole can be read and compared.
   *
   * @throws PiholeException when it is not back within {@code limit}, saying what was last seen
   */
  void awaitRestart(java.time.Duration limit);

  /**
   * {@link #awaitRestart} for the restart after an import sent through {@code ended}, a session the Pi-hole ended meanwhile
   * (its restart wait answered 401): this new session goes on with what {@code ended} knew of the process that answered the
   * import, so that a login the old process took just before going down is not taken for the restart being over.
   */
  default void awaitRestartAfter(PiholeSession ended, java.time.Duration limit) {
    awaitRestart(limit);
  }

  /**
   * Logs out now without waiting for the answer, which {@link #close()} then awaits: for a caller that
   * needs nothing more of the session, so that the round trip overlaps work of its own (storing and
   * checking an archive received). Nothing may be asked of the session afterwards. By default it
   * sends nothing, and {@link #close()} logs out as ever.
   */
  default void closeSoon() {
  }

  @Override
  void close();
}
