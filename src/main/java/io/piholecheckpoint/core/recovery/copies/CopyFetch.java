package io.piholecheckpoint.core.recovery.copies;

import io.piholecheckpoint.core.archive.Archive;
import io.piholecheckpoint.core.archive.ArchiveCipher;
import io.piholecheckpoint.core.archive.ArchiveFiles;
import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.scratch.ScratchDirectory;
import io.piholecheckpoint.core.offsite.copy.DamagedCopies;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.RemoteObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One verified copy read back from its destination into the store, the one path of every fetch: an
 * archive that is not on this disk, one found damaged here, one fetched to send damaged copies again
 * from. The bytes are streamed to the scratch folder and checked against the copy (size and SHA-256
 * uploaded), decrypted when the copy was encrypted on the way, the archive checked against the
 * backup's record, and only then fsynced and renamed over the name ({@link ArchiveStore#keepFetched}):
 * a bad copy leaves nothing behind, and a damaged file here stays as it was until a sound one replaces it whole.
 */
public final class CopyFetch {
  private static final int BUFFER_BYTES = 64 * 1024;

  private final ArchiveStore local;
  private final ArchiveCipher cipher;

  public CopyFetch(ArchiveStore local, ArchiveCipher cipher) {
    this.local = local;
    this.cipher = cipher;
  }

  /**
   * @throws CopyDamaged when the destination holds other bytes than were sent, or the archive in the copy is not the one recorded
   * @throws ArchiveStorageException when the archive in the copy cannot be decrypted
   */
  void fetch(Copy copy, Destination destination, Archive record) throws IOException {
    fetch(copy, destination, record, false);
  }

  /**
   * With {@code open}, for a reader that opens the archive next: when it is kept encrypted here, the plain archive this fetch
   * decrypted to check it against the record is handed over, open, instead of being thrown away (the reader's open would
   * decrypt the file just kept again: 50 MB through AES under the image's C1-only JVM).
   *
   * @return that plain archive (the caller closes it), or null when the archive is not kept encrypted here
   */
  ArchiveStore.PlainArchive fetch(Copy copy, Destination destination, Archive record, boolean open) throws IOException {
    ScratchDirectory scratch = ScratchDirectory.of(local.directory());
    Path fetched = scratch.createHeld("fetch-");
    Path plain = null;
    Path opened = null;
    try {
      MessageDigest sent = ArchiveFiles.sha256();
      long size;
      try (InputStream in = destination.open(copy.remoteKey()); FileChannel out = FileChannel.open(fetched, StandardOpenOption.WRITE)) {
        size = copy(in, out, sent, copy.sentBytes() + 1);
        out.force(true);
      }
      String sha256 = HexFormat.of().formatHex(sent.digest());
      Optional<String> found = DamagedCopies.difference(copy, new RemoteObject(copy.remoteKey(), size, sha256, null), destination.describe());
      if (found.isPresent()) {
        throw new CopyDamaged(found.get());
      }
      boolean encryptedThere = copy.remoteKey().endsWith(ArchiveCipher.SUFFIX);
      boolean encryptedHere = copy.fileName().endsWith(ArchiveCipher.SUFFIX);
      Path keep = fetched;
      if (encryptedThere && !encryptedHere) {
        plain = scratch.createFile("fetch-", ".zip");
        try (InputStream in = Files.newInputStream(fetched); FileChannel out = FileChannel.open(plain, StandardOpenOption.WRITE)) {
          requireRecorded(decrypt(in, Channels.newOutputStream(out)), record, destination);
          out.force(true);
        }
        keep = plain;
      } else if (encryptedThere) {
        opened = open ? scratch.createHeld("opened-") : null;
        try (InputStream in = Files.newInputStream(fetched);
             OutputStream out = opened == null ? OutputStream.nullOutputStream() : Files.newOutputStream(opened)) {
          requireRecorded(decrypt(in, out), record, destination);
        }
      } else {
        requireRecorded(new Digest(size, sha256), record, destination);
      }
      local.keepFetched(keep, copy.fileName());
      ArchiveStore.PlainArchive handed = opened == null ? null : new Opened(opened, plainName(copy.fileName()));
      opened = null;
      return handed;
    } finally {
      ScratchDirectory.release(fetched);
      if (plain != null) {
        ScratchDirectory.release(plain);
      }
      if (opened != null) {
        ScratchDirectory.release(opened);
      }
    }
  }

  private static String plainName(String fileName) {
    return fileName.substring(0, fileName.length() - ArchiveCipher.SUFFIX.length());
  }

  /** A decrypted copy in the scratch folder, held by this process until closed, as the store's own open makes. */
  private record Opened(Path path, String name) implements ArchiveStore.PlainArchive {
    @Override
    public void close() throws IOException {
      ScratchDirectory.release(path);
    }
  }

  /** Decrypts the encrypted copy as a stream, only counted and hashed, and requires the archive recorded. */
  void opens(Copy copy, Destination destination, Archive record) throws IOException {
    try (InputStream in = destination.open(copy.remoteKey())) {
      requireRecorded(decrypt(in, OutputStream.nullOutputStream()), record, destination);
    }
  }

  private record Digest(long bytes, String sha256) {
  }

  private Digest decrypt(InputStream encrypted, OutputStream plain) throws IOException {
    MessageDigest sha256 = ArchiveFiles.sha256();
    CountingStream counted = new CountingStream(new DigestOutputStream(plain, sha256));
    cipher.decrypt(encrypted, counted);
    counted.flush();
    return new Digest(counted.bytes, HexFormat.of().formatHex(sha256.digest()));
  }

  /**
   * @throws CopyDamaged when the archive is not the one recorded: marked so, the copy is not downloaded again at every read to fail
   *     alike (an adopted copy whose manifest names another SHA-256 was a 503 "try later", fetched whole each time)
   */
  private static void requireRecorded(Digest got, Archive record, Destination destination) throws CopyDamaged {
    if (got.bytes() != record.sizeBytes() || !got.sha256().equalsIgnoreCase(record.sha256())) {
      throw new CopyDamaged("the archive in the copy at " + destination.describe() + " is not the one its backup recorded ("
          + got.bytes() + " bytes, SHA-256 " + got.sha256() + "; recorded " + record.sizeBytes() + " bytes, SHA-256 " + record.sha256() + ")");
    }
  }

  /** Copies at most {@code limit} bytes: a destination that sends more than was uploaded does not fill the disk. */
  private static long copy(InputStream in, FileChannel out, MessageDigest sha256, long limit) throws IOException {
    byte[] buffer = new byte[BUFFER_BYTES];
    long size = 0;
    for (int n; size < limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - size))) != -1; ) {
      sha256.update(buffer, 0, n);
      ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
      size += n;
    }
    return size;
  }

  private static final class CountingStream extends java.io.FilterOutputStream {
    private long bytes;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      bytes += len;
    }
  }

  /** The bytes at the destination are not those sent. */
  static final class CopyDamaged extends IOException {
    private static final long serialVersionUID = 1L;
    private final String found;

    CopyDamaged(String found) {
      super(found);
      this.found = found;
    }

    String found() {
      return found;
    }
  }
}
