package io.piholecheckpoint.teleporter;

import io.piholecheckpoint.core.archive.InvalidArchiveException;
import io.piholecheckpoint.core.units.ByteSize;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What an archive's central directory declares, checked before any entry is read: how many
 * entries, names that could escape a directory when unpacked, and sizes of an honest ZIP bomb.
 * The declared sizes are only an early refusal; what entries really unpack to is counted by the
 * {@link InflationBudget}.
 */
final class DeclaredShape {
  /** A Teleporter archive has a dozen entries; each costs heap while the central directory is read. */
  static final int MAX_ENTRIES = 1000;

  /** A Teleporter archive's central directory is under 1 KB; ZipFile holds all of it in the heap. */
  static final int MAX_DIRECTORY_BYTES = 256 * 1024;
  /** The end record (22 bytes) and the longest comment a ZIP may have. */
  private static final int TAIL_BYTES = 22 + 0xFFFF;
  private static final int END_SIGNATURE = 0x06054b50;

  private DeclaredShape() {
  }

  /**
   * Refuses, from the end records alone, a central directory too large to read into the heap
   * (ZipFile reads it whole when it opens the file). Every end record in the tail is checked, so
   * one hidden in a comment cannot stand in for the one ZipFile uses.
   */
  static void requireSmallDirectory(Path archive) throws IOException {
    try (FileChannel file = FileChannel.open(archive)) {
      int length = (int) Math.min(file.size(), TAIL_BYTES);
      ByteBuffer tail = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
      file.read(tail, file.size() - length);
      // Every offset is still looked at; only the signature's first byte is compared from the array first: a
      // ByteBuffer.getInt at each of a whole archive's offsets was ~5 % of a backup's CPU under C1.
      byte[] bytes = tail.array();
      for (int at = length - 22; at >= 0; at--) {
        if (bytes[at] == 'P' && tail.getInt(at) == END_SIGNATURE) {
          long entries = tail.getShort(at + 10) & 0xFFFF;
          long directory = tail.getInt(at + 12) & 0xFFFFFFFFL;
          if (entries > MAX_ENTRIES || directory > MAX_DIRECTORY_BYTES) {
            throw new InvalidArchiveException("the archive declares %d entries in a directory of %s; a Teleporter archive has about ten in under 1 kB, so this is not one"
                .formatted(entries, ByteSize.format(directory)));
          }
        }
      }
    }
  }

  /** The entries, once their number, names and declared sizes are proven harmless. */
  static List<? extends ZipEntry> entries(ZipFile zip) {
    if (zip.size() > MAX_ENTRIES) {
      throw new InvalidArchiveException("the archive has %d entries; a Teleporter archive has about ten, so this is not one".formatted(zip.size()));
    }
    List<? extends ZipEntry> entries = Collections.list(zip.entries());
    long total = 0;
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (ZipEntry entry : entries) {
      String name = entry.getName();
      if (!seen.add(name)) {
        // ZipFile reads one of the two by name for both: the other's CRC then failed, a "damaged" archive that is not
        throw new InvalidArchiveException("the archive holds the entry " + name + " twice; a Teleporter archive holds each file once,"
            + " so this one was not written by Pi-hole as it is (export it again)");
      }
      if (name.startsWith("/") || name.startsWith("\\") || name.matches("(?i)^[a-z]:.*") || ("/" + name.replace('\\', '/') + "/").contains("/../")) {
        throw new InvalidArchiveException("the archive has an entry with an unsafe path: " + name);
      }
      long size = entry.getSize();
      long packed = entry.getCompressedSize();
      if (name.equals(TeleporterInspector.CONFIG) && size > PiholeToml.MAX_BYTES) {
        throw new InvalidArchiveException(PiholeToml.tooLarge(name));
      }
      // only an early refusal of an honest bomb: what an entry really unpacks to is counted by the InflationBudget
      if (size > InflationBudget.MAX_ENTRY_BYTES || (packed > 0 && size > InflationBudget.RATIO_FREE_BYTES && size / packed > InflationBudget.MAX_RATIO)) {
        throw new InvalidArchiveException("the archive's entry " + name + " unpacks to " + ByteSize.format(size) + ": refused as a likely ZIP bomb");
      }
      total += Math.max(size, 0);
    }
    if (total > InflationBudget.MAX_TOTAL_BYTES) {
      throw new InvalidArchiveException("the archive unpacks to " + ByteSize.format(total) + ", more than any Teleporter archive: refused as a likely ZIP bomb");
    }
    return entries;
  }

}
