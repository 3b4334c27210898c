package io.piholecheckpoint.storage;

import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.core.archive.InvalidArchiveException;
import io.piholecheckpoint.core.archive.scratch.ScratchDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * Writes files so that power can fail at any instruction: into a temporary file, fsynced,
 * atomically renamed, and the rename itself made durable. Failures of the disk are
 * {@link ArchiveStorageException}s; failures of the stream being read stay IOExceptions.
 */
final class DurableWriter {
  private static final int BUFFER_BYTES = 64 * 1024;
  private final Path directory;
  private final ScratchDirectory scratch;

  DurableWriter(Path directory) {
    this.directory = directory;
    this.scratch = ScratchDirectory.of(directory);
  }

  /**
   * In the private scratch folder: mode 0600, which the final file keeps; archives hold password hashes. Held by this
   * process until {@link #moveIntoPlace} or {@link #discard}, so a node sharing the folder removes it only once this
   * process is gone.
   */
  Path createTemp() {
    return scratch.createHeld(".incoming-");
  }

  /** Deletes a temporary file that is not kept, and lets it go. */
  void discard(Path temp) throws IOException {
    ScratchDirectory.release(temp);
  }

  ScratchDirectory scratch() {
    return scratch;
  }

  long copy(InputStream in, Path temp, MessageDigest sha256, long maxBytes) throws IOException {
    byte[] buffer = new byte[BUFFER_BYTES];
    long size = 0;
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      for (int n; (n = in.read(buffer)) != -1; ) {
        if (size + n > maxBytes) {
          throw new InvalidArchiveException("more than " + maxBytes / (1024 * 1024) + " MiB arrived; a Teleporter archive is a few MB, "
              + "so this is not one — check that the URL is that of a Pi-hole");
        }
        sha256.update(buffer, 0, n);
        write(out, ByteBuffer.wrap(buffer, 0, n));
        size += n;
      }
      force(out);
    }
    return size;
  }

  /** What writes a whole file through an output stream. */
  @FunctionalInterface
  interface Content {
    void writeTo(java.io.OutputStream out) throws IOException;
  }

  /** Fills {@code temp} with {@code content} and fsyncs it. */
  void write(Path temp, Content content) {
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      java.io.BufferedOutputStream buffered = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(out), BUFFER_BYTES) {
        @Override
        public void close() throws IOException {
          flush(); // the channel is closed below, after the fsync
        }
      };
      content.writeTo(buffered);
      buffered.flush();
      force(out);
    } catch (IOException e) {
      throw storageFailure("writing the encrypted archive", e);
    }
  }

  private void write(FileChannel out, ByteBuffer bytes) throws IOException {
    try {
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
    } catch (ClosedByInterruptException e) {
      throw e; // the download was cut off (a timeout), not a problem of the disk
    } catch (IOException e) {
      throw storageFailure("writing the archive", e);
    }
  }

  private void force(FileChannel out) {
    try {
      out.force(true);
    } catch (IOException e) {
      throw storageFailure("flushing the archive to disk", e);
    }
  }

  void moveIntoPlace(Path temp, Path target) {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      ScratchDirectory.release(temp); // moved: only its claim is left to let go
      try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
        dir.force(true); // makes the rename itself durable
      }
    } catch (IOException e) {
      throw storageFailure("moving the archive into place", e);
    }
  }

  private ArchiveStorageException storageFailure(String doing, IOException e) {
    return new ArchiveStorageException("failed %s in %s: %s — check free space and permissions of BACKUP_DIR"
        .formatted(doing, directory, io.piholecheckpoint.core.archive.ArchiveFiles.reason(e)), e);
  }

}
