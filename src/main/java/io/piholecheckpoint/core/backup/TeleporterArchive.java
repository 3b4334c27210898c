package io.piholecheckpoint.core.backup;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/** Checks that a file is a complete Pi-hole v6 Teleporter archive. */
final class TeleporterArchive {
  static final String CONFIG_ENTRY = "etc/pihole/pihole.toml";
  private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

  private TeleporterArchive() {
  }

  /**
   * Reads every entry to the end and compares its CRC-32, so that a truncated or corrupted
   * archive is caught now and not on the day of the restore. ZipFile (the central directory),
   * not ZipInputStream: Pi-hole writes STORED entries with data descriptors, which
   * ZipInputStream cannot read.
   */
  static void verify(Path file, long size) throws IOException {
    if (size == 0) {
      throw new InvalidArchiveException("the answer was empty, not a Teleporter archive");
    }
    if (!startsWithZipMagic(file)) {
      throw new InvalidArchiveException("the answer (%d bytes) is not a ZIP archive, so not a Teleporter archive".formatted(size));
    }
    try (ZipFile zip = new ZipFile(file.toFile())) {
      if (zip.getEntry(CONFIG_ENTRY) == null) {
        throw new InvalidArchiveException("the ZIP archive has no " + CONFIG_ENTRY + ", so it is not a Pi-hole v6 Teleporter archive");
      }
      for (ZipEntry entry : Collections.list(zip.entries())) {
        checkCrc(zip, entry);
      }
    } catch (ZipException | EOFException e) {
      throw new InvalidArchiveException("the archive is damaged or incomplete: " + e.getMessage(), e);
    }
  }

  private static void checkCrc(ZipFile zip, ZipEntry entry) throws IOException {
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[8192];
    try (InputStream in = zip.getInputStream(entry)) {
      for (int n; (n = in.read(buffer)) != -1; ) {
        crc.update(buffer, 0, n);
      }
    }
    if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
      throw new InvalidArchiveException("the archive is damaged: entry " + entry.getName() + " fails its CRC check");
    }
  }

  private static boolean startsWithZipMagic(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(ZIP_MAGIC.length);
      return Arrays.equals(head, ZIP_MAGIC);
    }
  }
}
