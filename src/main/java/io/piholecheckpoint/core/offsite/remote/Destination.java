package io.piholecheckpoint.core.offsite.remote;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * An off-site destination as the core sees it: objects named by keys such as
 * {@code home/home_20261202T030000Z_ab12cd.zip.gpg}, below the destination's own prefix (which the
 * adapter adds; keys never start with {@code /} and never hold {@code ..} segments). Adapters
 * (S3, SFTP, WebDAV, a directory) implement it; every method may be slow and fails with a
 * {@link DestinationException} that says what to do.
 */
public interface Destination extends AutoCloseable {

  /**
   * Stores {@code length} bytes read from {@code in} under {@code key}, replacing what is there,
   * streaming (the heap does not grow with the length). Nothing is visible under {@code key}
   * until every byte arrived: an upload cut in the middle leaves either the old object or none,
   * never a part under the final key.
   *
   * @throws DestinationException when the destination refuses or fails; {@code in} is not closed
   */
  void put(String key, InputStream in, long length) throws IOException;

  /**
   * What is stored under {@code key}, as the destination has it: its size and the SHA-256 of its
   * bytes, read back from the destination (a checksum the destination computed itself, or the
   * object read again) — never what was sent. Empty when there is no such object.
   */
  Optional<RemoteObject> check(String key) throws IOException;

  /**
   * Opens the object for reading.
   *
   * @throws DestinationException with {@link DestinationException.Problem#MISSING} when there is none
   */
  InputStream open(String key) throws IOException;

  /** Every object whose key starts with {@code prefix} ({@code ""} for all), without digests. */
  List<RemoteObject> list(String prefix) throws IOException;

  /** Removes the object; nothing happens when it is not there. */
  void delete(String key) throws IOException;

  /** Where it writes, for pages and logs: never a password, key or token. */
  String describe();

  @Override
  void close();
}
