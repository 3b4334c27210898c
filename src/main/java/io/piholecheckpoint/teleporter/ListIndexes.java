package io.piholecheckpoint.teleporter;

import io.piholecheckpoint.core.archive.FileDigests;
import io.piholecheckpoint.core.archive.InvalidArchiveException;
import io.piholecheckpoint.core.archive.scratch.ScratchDirectory;
import io.piholecheckpoint.core.files.OwnedPaths;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Where the {@link ListIndex} of an archive is kept: in the private scratch folder, under
 * {@value ScratchDirectory#LIST_INDEXES}/, named by the SHA-256 of the archive's bytes. The name ties an index to the
 * exact archive it was built from (an encrypted backup's decrypted copy, an import of the same
 * file and a live export that equals a backup all find it), so an index never answers for other
 * bytes; one whose version or digest does not match, or that SQLite cannot read, is rebuilt from
 * the archive. Built in a temporary file, synced and renamed into place; only the {@value #KEPT}
 * most recently used are kept, so the folder's size is bounded and a deleted backup's lists leave
 * the disk when it is deleted (ArchiveStore) or after {@value #KEPT} other archives were read.
 */
final class ListIndexes {
  static final int KEPT = 4;

  private ListIndexes() {
  }

  /** A checked list index and the SHA-256 of the archive it was built from, which names it. */
  record Indexed(Path index, String digest) {
  }

  /** The checked index of {@code archive}, built when missing or unusable; {@code digests} hashes the archive. */
  static Indexed of(Path archive, FileDigests digests) throws IOException {
    String digest = digests.sha256(archive);
    Path index = ScratchDirectory.beside(archive).listIndex(digest);
    Path folder = OwnedPaths.folder(index.getParent()); // holds lists unencrypted: never through a link
    if (Files.exists(index)) {
      if (matches(index, digest)) {
        Files.setLastModifiedTime(index, FileTime.from(Instant.now()));
        return new Indexed(index, digest);
      }
      Files.deleteIfExists(index);
    }
    build(archive, digest, index);
    evict(folder, KEPT);
    return new Indexed(index, digest);
  }

  private static boolean matches(Path index, String digest) {
    try (Connection db = ListIndex.open(index);
         PreparedStatement s = db.prepareStatement("SELECT count(*) FROM meta WHERE (key = 'version' AND value = ?) OR (key = 'archive' AND value = ?)")) {
      s.setString(1, ListIndex.VERSION);
      s.setString(2, digest);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() && rs.getInt(1) == 2;
      }
    } catch (SQLException e) {
      return false;
    }
  }

  private static void build(Path archive, String digest, Path index) throws IOException {
    Path temporary = ScratchDirectory.beside(archive).createFile("lists-", ".db");
    try {
      try (ZipFile zip = new ZipFile(archive.toFile()); Connection db = ListIndex.create(temporary)) {
        ZipEntry gravity = zip.getEntry(TeleporterInspector.GRAVITY);
        if (gravity == null) {
          ListIndex.build(null, db, digest);
        } else {
          GravityDatabase.withCopy(zip, gravity, source -> {
            try {
              ListIndex.build(source, db, digest);
              return null;
            } catch (SQLException e) {
              throw new InvalidArchiveException("its gravity.db cannot be read: " + ParserWords.sqlite(e), e);
            }
          });
        }
      } catch (SQLException e) {
        throw new IOException("could not write the list index " + temporary + ": " + e.getMessage(), e);
      }
      install(temporary, index);
    } finally {
      ScratchDirectory.release(temporary);
    }
  }

  /** Syncs a complete file and renames it into place: a reader finds the whole file or none. */
  static void install(Path temporary, Path target) throws IOException {
    try (FileChannel file = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
      file.force(true);
    }
    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Deletes all but the {@code kept} most recently used files of {@code folder} (indexes here, diffs in {@link DiffCaches}). */
  static void evict(Path folder, int kept) throws IOException {
    List<Path> indexes = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.db")) {
      files.forEach(indexes::add);
    }
    indexes.sort(Comparator.comparing(ListIndexes::lastUse).reversed());
    for (Path old : indexes.subList(Math.min(kept, indexes.size()), indexes.size())) {
      Files.deleteIfExists(old);
    }
  }

  private static FileTime lastUse(Path index) {
    try {
      return Files.getLastModifiedTime(index);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }
}
