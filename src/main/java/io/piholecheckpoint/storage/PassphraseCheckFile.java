package io.piholecheckpoint.storage;

import io.piholecheckpoint.core.files.OwnedPaths;
import io.piholecheckpoint.core.archive.ArchiveCipher;
import io.piholecheckpoint.core.archive.ArchiveFiles;
import io.piholecheckpoint.core.archive.PassphraseRefusedException;
import io.piholecheckpoint.core.archive.WrongPassphraseException;
import io.piholecheckpoint.core.units.LogText;
import java.io.ByteArrayOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BACKUP_ENCRYPTION_PASSPHRASE tied to the archives it wrote, as restic and borg tie a key to their repository: a small known
 * text encrypted with it, {@value #FILE_NAME} in BACKUP_DIR, read at every start before the scheduler runs. A passphrase that
 * does not open it is refused for every new archive (a backup encrypted with a typo the user no longer has is a lost backup);
 * archives are still read as before. The file is written at the first start with a passphrase and no file; an install that
 * already holds encrypted archives writes it only when the passphrase opens the newest of them. Changing the passphrase is
 * explicit: delete the file. That the file was written once is marked in DATA_DIR ({@value #TIED}): a start that finds the
 * file gone then takes it as that deletion and ties the passphrase set, rather than trying it on the archives of the old one. Its dot-name is none of ours ({@link ArchiveFiles#isOurs}), so listings, retention and adoption
 * never take it for an archive.
 */
public final class PassphraseCheckFile {
  private static final Logger log = LoggerFactory.getLogger(PassphraseCheckFile.class);
  public static final String FILE_NAME = ".passphrase-check.gpg";
  /** In DATA_DIR: the check file was written here once, so one missing later was deleted to change the passphrase. */
  static final String TIED = "passphrase-check.tied";
  private static final byte[] KNOWN = "Pi-hole Checkpoint passphrase check 1\n".getBytes(StandardCharsets.UTF_8);

  private PassphraseCheckFile() {
  }

  /**
   * Checks the passphrase of {@code cipher} against {@code backupDir}'s check file (writing it when it may) and returns the
   * cipher to use: {@code cipher} itself, or, when the passphrase is wrong, one that reads as it does but refuses every new
   * archive with the returned problem. Never fails the start: a check that cannot be made is logged and refuses nothing.
   */
  public static Checked check(Path backupDir, Path dataDir, ArchiveCipher cipher) {
    if (!cipher.encryptsNewArchives()) {
      return new Checked(cipher, Optional.empty()); // no passphrase: archives are written plain, nothing to tie
    }
    Path file = backupDir.resolve(FILE_NAME);
    try {
      Path tied = dataDir.resolve(TIED);
      Optional<String> wrong = Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? opens(file, cipher)
          : firstCheck(backupDir, file, cipher, Files.exists(tied, LinkOption.NOFOLLOW_LINKS));
      if (wrong.isEmpty()) {
        if (!Files.exists(tied, LinkOption.NOFOLLOW_LINKS)) {
          Files.createFile(tied, OwnedPaths.ownerOnlyFile(tied));
          Files.writeString(tied, "the passphrase is tied to the archives in " + backupDir + " by " + file + "\n", StandardCharsets.UTF_8);
        }
        return new Checked(cipher, Optional.empty());
      }
      log.error("{}", wrong.get());
      return new Checked(new Refusing(cipher, wrong.get()), wrong);
    } catch (IOException | RuntimeException e) {
      log.warn("Whether BACKUP_ENCRYPTION_PASSPHRASE is the one the archives in {} were written with could not be checked ({}); backups"
          + " are taken with it. If {} is damaged, delete it: it is written again at the next start", backupDir,
          LogText.of(String.valueOf(e.getMessage())), file);
      return new Checked(cipher, Optional.empty());
    }
  }

  /** The cipher to write and read archives with, and why new archives are refused, if they are. */
  public record Checked(ArchiveCipher cipher, Optional<String> problem) {
  }

  private static Optional<String> opens(Path file, ArchiveCipher cipher) throws IOException {
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      cipher.decrypt(in, plain);
    } catch (WrongPassphraseException e) {
      return Optional.of(refusal(file.getParent(), "it does not open " + file));
    }
    return Optional.empty();
  }

  /**
   * No check file: written, unless it never was ({@code deleted} false: an install from before the file) and the newest
   * encrypted archive there does not open with the passphrase.
   */
  private static Optional<String> firstCheck(Path backupDir, Path file, ArchiveCipher cipher, boolean deleted) throws IOException {
    Optional<Path> newest = deleted ? Optional.empty() : newestEncrypted(backupDir);
    if (newest.isPresent() && !opensFirstPackets(newest.get(), cipher)) {
      return Optional.of(refusal(backupDir, "it does not open " + newest.get().getFileName() + ", the newest encrypted archive there"));
    }
    DurableWriter writer = new DurableWriter(backupDir);
    Path temp = writer.createTemp();
    try {
      writer.write(temp, out -> cipher.encrypt(new ByteArrayInputStream(KNOWN), out));
      writer.moveIntoPlace(temp, file);
    } catch (RuntimeException e) {
      writer.discard(temp);
      throw e;
    }
    if (deleted) {
      log.warn("{} was deleted: BACKUP_ENCRYPTION_PASSPHRASE as set now is tied to the archives in {}; those written before open only with"
          + " the passphrase they were written with", file, backupDir);
    } else {
      log.info("BACKUP_ENCRYPTION_PASSPHRASE is tied to the archives in {} by {}: a start with another passphrase takes no backup"
          + " (delete the file to change the passphrase on purpose)", backupDir, file);
    }
    return Optional.empty();
  }

  private static Optional<Path> newestEncrypted(Path backupDir) throws IOException {
    Path newest = null;
    FileTime newestTime = null;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(backupDir)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (name.endsWith(ArchiveCipher.SUFFIX) && ArchiveFiles.isOurs(name) && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
          FileTime time = Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS);
          if (newestTime == null || time.compareTo(newestTime) > 0) {
            newest = f;
            newestTime = time;
          }
        }
      }
    }
    return Optional.ofNullable(newest);
  }

  /** Whether the passphrase opens the archive: decrypted until its first plain byte, not to the end (an archive is a few MB). */
  private static boolean opensFirstPackets(Path archive, ArchiveCipher cipher) throws IOException {
    try (InputStream in = Files.newInputStream(archive, LinkOption.NOFOLLOW_LINKS)) {
      cipher.decrypt(in, new OutputStream() {
        @Override
        public void write(int b) {
          throw new Opened();
        }

        @Override
        public void write(byte[] b, int off, int len) {
          if (len > 0) {
            throw new Opened();
          }
        }
      });
      return true; // an empty archive: opened all the same
    } catch (Opened e) {
      return true;
    } catch (WrongPassphraseException e) {
      return false;
    }
  }

  /** Ends a decryption at its first plain byte: the passphrase opened it. */
  private static final class Opened extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Opened() {
      super(null, null, false, false);
    }
  }

  private static String refusal(Path backupDir, String why) {
    return ("BACKUP_ENCRYPTION_PASSPHRASE is not the passphrase the archives in %s were written with (%s); nothing was taken."
        + " Start Pi-hole Checkpoint with the right one. To change the passphrase on purpose, delete %s (archives written before stay"
        + " readable only with the old passphrase)").formatted(backupDir, why, backupDir.resolve(FILE_NAME));
  }

  /** Reads as the cipher it wraps; refuses every new archive, before anything is received. */
  private static final class Refusing implements ArchiveCipher {
    private final ArchiveCipher cipher;
    private final String why;

    private Refusing(ArchiveCipher cipher, String why) {
      this.cipher = cipher;
      this.why = why;
    }

    @Override
    public boolean encryptsNewArchives() {
      return true;
    }

    @Override
    public void requireWritable() {
      throw new PassphraseRefusedException(why);
    }

    @Override
    public void encrypt(InputStream plain, OutputStream encrypted) {
      requireWritable();
    }

    @Override
    public void decrypt(InputStream encrypted, OutputStream plain) throws IOException {
      cipher.decrypt(encrypted, plain);
    }
  }
}
