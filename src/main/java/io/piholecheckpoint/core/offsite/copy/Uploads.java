package io.piholecheckpoint.core.offsite.copy;

import io.piholecheckpoint.core.archive.ArchiveCipher;
import io.piholecheckpoint.core.archive.ArchiveFiles;
import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.WrongPassphraseException;
import io.piholecheckpoint.core.archive.scratch.ScratchDirectory;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.instance.InstanceRepository;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.ObjectKeys;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.BooleanSupplier;

/**
 * The bytes that leave this machine for one copy: the stored file as it is when it is encrypted
 * at rest (or when the destination takes plain archives), else the archive encrypted into the
 * scratch folder first — a destination needs the length before the first byte, and an OpenPGP
 * message's length is only known once written. Streamed both ways; the heap never holds an archive.
 */
public final class Uploads {
  private static final int BUFFER_BYTES = 64 * 1024;
  private final ArchiveStore archives;
  private final ArchiveCipher cipher;
  private final BackupRepository backups;
  private final InstanceRepository instances;
  private volatile boolean stopping;

  /** @param backups and {@code instances}: what the manifest beside each copy says */
  public Uploads(ArchiveStore archives, ArchiveCipher cipher, BackupRepository backups, InstanceRepository instances) {
    this.archives = archives;
    this.cipher = cipher;
    this.backups = backups;
    this.instances = instances;
  }

  /** What was uploaded: its size and the SHA-256 of exactly those bytes. */
  public record Sent(long bytes, String sha256) {
  }

  /** The key a backup's archive gets at a destination: {@code <instance-slug>/<file name>}, {@code .gpg} added when it is encrypted on the way. */
  public static String remoteKey(String slug, String fileName, boolean encrypt) {
    return ObjectKeys.requireSafe(ArchiveFiles.requireFolder(slug) + "/" + fileName + (encryptsOnTheWay(fileName, encrypt) ? ArchiveCipher.SUFFIX : ""));
  }

  private static boolean encryptsOnTheWay(String fileName, boolean encrypt) {
    return encrypt && !fileName.endsWith(ArchiveCipher.SUFFIX);
  }

  /**
   * Uploads the copy's archive to the destination under its remote key.
   *
   * @param withdrawn whether the destination was deleted or changed meanwhile: then the upload ends at its next read
   * @throws LocalArchiveGoneException when the file is no longer in the backup directory
   */
  Sent send(Copy copy, Destination destination, BooleanSupplier withdrawn) throws IOException {
    Path stored = archives.find(copy.fileName()).orElseThrow(() -> new LocalArchiveGoneException(copy.fileName(), archives.directory()));
    requireRecorded(copy);
    boolean encrypt = copy.remoteKey().endsWith(ArchiveCipher.SUFFIX) && !copy.fileName().endsWith(ArchiveCipher.SUFFIX);
    if (!encrypt) {
      return put(stored, copy.remoteKey(), destination, withdrawn);
    }
    if (!cipher.encryptsNewArchives()) {
      throw new IllegalStateException("an encrypted copy was queued and no BACKUP_ENCRYPTION_PASSPHRASE is set");
    }
    Path encrypted = ScratchDirectory.of(archives.directory()).createFile("offsite-", ArchiveCipher.SUFFIX);
    try {
      try (InputStream in = Files.newInputStream(stored); OutputStream out = Files.newOutputStream(encrypted)) {
        cipher.encrypt(in, out);
      }
      return put(encrypted, copy.remoteKey(), destination, withdrawn);
    } finally {
      ScratchDirectory.release(encrypted);
    }
  }

  /**
   * The archive is opened as every reader opens it, checked against its backup's record (and replaced by a sound copy
   * elsewhere when it is damaged here): a file changed on this disk is never sent, to become a "verified" copy of
   * something else or to overwrite a sound one.
   */
  private void requireRecorded(Copy copy) throws IOException {
    try {
      archives.open(copy.fileName()).close(); // only checked: the stored bytes are what leaves
    } catch (WrongPassphraseException e) {
      throw e; // no fault of the archive, nor of the destination: the copy waits for the passphrase (CopyRunner)
    } catch (ArchiveStorageException e) {
      throw new LocalArchiveDamagedException(e);
    }
  }

  /** Whether the copy's backup is no longer recorded (deleted on request or by retention). */
  boolean backupGone(Copy copy) {
    return backups.findById(copy.backupId()).isEmpty();
  }

  /** Whether the copy could be uploaded again: its archive is still here, and its backup (which the manifest describes) too. */
  boolean canSendAgain(Copy copy) {
    return archives.find(copy.fileName()).isPresent() && backups.findById(copy.backupId()).filter(Backup::successful).isPresent();
  }

  /**
   * {@link #canSendAgain}, the archive of a backup kept remote only fetched back first from a sound copy at another destination
   * (the archive store does that when it can): a copy found damaged is then sent again from it, as when the archive is here.
   */
  boolean canSendAgainFetching(Copy copy) {
    if (!canSendAgain(copy) && backups.findById(copy.backupId()).filter(Backup::successful).isPresent()) {
      try {
        archives.fetchIfMissing(copy.fileName());
      } catch (RuntimeException e) {
        // no other copy could be used (the store said why in its log): given up, as before
      }
    }
    return canSendAgain(copy);
  }

  /**
   * Puts the manifest beside the copy: {@code <remote key>.json}.
   *
   * @return whether it says the backup is pinned
   */
  Backup describe(Copy copy, Sent sent, Destination destination) throws IOException {
    Backup backup = backups.findById(copy.backupId()).filter(Backup::successful)
        .orElseThrow(() -> new LocalArchiveGoneException(copy.fileName(), archives.directory()));
    PiholeInstance instance = instances.findById(copy.instanceId()).orElseThrow(() -> new LocalArchiveGoneException(copy.fileName(), archives.directory()));
    byte[] json = Manifest.of(instance, backup, copy, sent).getBytes(StandardCharsets.UTF_8);
    destination.put(copy.remoteKey() + Manifest.SUFFIX, new ByteArrayInputStream(json), json.length);
    return backup;
  }

  /** Stopping: every upload under way fails at its next read, so that a client that is sending lets go at once. */
  void stop() {
    stopping = true;
  }

  private Sent put(Path file, String key, Destination destination, BooleanSupplier withdrawn) throws IOException {
    MessageDigest sha256 = sha256();
    long length = Files.size(file);
    try (InputStream in = new DigestInputStream(new Stoppable(new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES), withdrawn), sha256)) {
      destination.put(key, in, length);
    }
    return new Sent(length, HexFormat.of().formatHex(sha256.digest()));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The bytes of an upload, which end in an error once {@link #stop()} was called or the destination was withdrawn. */
  private final class Stoppable extends java.io.FilterInputStream {
    private final BooleanSupplier withdrawn;

    Stoppable(InputStream in, BooleanSupplier withdrawn) {
      super(in);
      this.withdrawn = withdrawn;
    }

    @Override
    public int read() throws IOException {
      requireRunning();
      return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      requireRunning();
      return super.read(b, off, len);
    }

    private void requireRunning() throws IOException {
      if (stopping) {
        throw new InterruptedIOException("Pi-hole Checkpoint is stopping");
      }
      if (withdrawn.getAsBoolean()) {
        throw new InterruptedIOException("the destination was deleted or changed while this copy was sent");
      }
    }
  }

  /** The archive to copy was deleted (by retention or by hand) before its copy was made. */
  static final class LocalArchiveGoneException extends IOException {
    private static final long serialVersionUID = 1L;

    LocalArchiveGoneException(String fileName, Path directory) {
      super("the archive " + fileName + " is no longer in " + directory + " (deleted before it was copied); this copy is given up");
    }
  }

  /** The archive to copy is damaged on this disk (and no sound copy could replace it): the backup's problem, not the destination's. */
  static final class LocalArchiveDamagedException extends IOException {
    private static final long serialVersionUID = 1L;

    LocalArchiveDamagedException(ArchiveStorageException e) {
      super(e.getMessage(), e);
    }
  }
}
