package io.piholecheckpoint.core.backup;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/** Checks that a file is a complete Pi-hole v6 Teleporter archive. */
final class TeleporterArchive {
  static final String CONFIG_ENTRY = "etc/pihole/pihole.toml";
  private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

  private TeleporterArchive() {
  }

  /**
   * Reads every entry to the end, so that a truncated or corrupted archive (bad CRC, short
   * entry) is caught now and not on the day of the restore.
   */
  static void verify(Path file, long size) throws IOException {
    if (size == 0) {
      throw new InvalidArchiveException("the answer was empty, not a Teleporter archive");
    }
    if (!startsWithZipMagic(file)) {
      throw new InvalidArchiveException("the answer (%d bytes) is not a ZIP archive, so not a Teleporter archive".formatted(size));
    }
    boolean hasConfig = false;
    int entries = 0;
    try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      byte[] sink = new byte[8192];
      for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
        entries++;
        hasConfig |= CONFIG_ENTRY.equals(entry.getName());
        while (zip.read(sink) != -1) {
          // reading to the end makes ZipInputStream check the entry's size and CRC
        }
      }
    } catch (ZipException | java.io.EOFException e) {
      throw new InvalidArchiveException("the archive is damaged or incomplete: " + e.getMessage(), e);
    }
    if (entries == 0) {
      throw new InvalidArchiveException("the ZIP archive is empty or damaged");
    }
    if (!hasConfig) {
      throw new InvalidArchiveException("the ZIP archive has no " + CONFIG_ENTRY + ", so it is not a Pi-hole v6 Teleporter archive");
    }
  }

  private static boolean startsWithZipMagic(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(ZIP_MAGIC.length);
      return java.util.Arrays.equals(head, ZIP_MAGIC);
    }
  }
}
