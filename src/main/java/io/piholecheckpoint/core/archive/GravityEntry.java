package io.piholecheckpoint.core.archive;

import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.ZipFile;

/**
 * Whether a Teleporter archive holds {@code etc/pihole/gravity.db}, its groups, adlists, domains and clients. Without it a
 * lists import would bring nothing and leave the Pi-hole's lists empty: what restore, sync and accept each refuse.
 */
public final class GravityEntry {
  public static final String PATH = "etc/pihole/gravity.db";

  private GravityEntry() {
  }

  /** Read from the ZIP's central directory only. */
  public static boolean in(Path archive) throws IOException {
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      return zip.getEntry(PATH) != null;
    }
  }
}
