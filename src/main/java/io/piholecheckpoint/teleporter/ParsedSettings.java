package io.piholecheckpoint.teleporter;

import io.piholecheckpoint.core.contents.ArchiveSettings;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * The settings of the last few pihole.toml texts read, kept by their bytes: one backup, restore or
 * sync read the same archive's settings two to four times (the change summary reads the previous
 * backup again, a restore its source, a sync each replica's plan), and parsing the TOML tree was the
 * largest part of it. A read finds them only when its bytes equal the kept ones entirely, so
 * different bytes never get another archive's settings, whatever the archive's name or path.
 *
 * <p>Bounded by entries and by the text they stand for (a real pihole.toml is ~67 kB; the parsed
 * map is of the same order), so the image's 96 MB heap keeps at most a few hundred kB here. The values
 * are shared by every caller, so they are made unmodifiable before they are kept.
 */
final class ParsedSettings {
  static final int KEPT = 8;
  static final int KEPT_BYTES = 512 * 1024;

  private record Kept(byte[] bytes, ArchiveSettings settings) {
  }

  /** Most recently used first. */
  private final Deque<Kept> kept = new ArrayDeque<>();
  private long keptBytes;

  /** The settings kept for exactly these bytes, or null. */
  synchronized ArchiveSettings find(byte[] bytes) {
    for (Iterator<Kept> i = kept.iterator(); i.hasNext(); ) {
      Kept k = i.next();
      if (Arrays.equals(k.bytes, bytes)) {
        i.remove();
        kept.addFirst(k);
        return k.settings;
      }
    }
    return null;
  }

  /** Keeps {@code settings} as what {@code bytes} hold (the caller no longer changes either), and gives the unmodifiable copy kept. */
  synchronized ArchiveSettings keep(byte[] bytes, ArchiveSettings settings) {
    ArchiveSettings shared = new ArchiveSettings(List.copyOf(settings.dnsRecords()), List.copyOf(settings.cnames()),
        Collections.unmodifiableMap(settings.settings()), List.copyOf(settings.changedSettings()), settings.secrets());
    if (bytes.length <= KEPT_BYTES) {
      kept.addFirst(new Kept(bytes, shared));
      keptBytes += bytes.length;
      while (kept.size() > KEPT || keptBytes > KEPT_BYTES) {
        keptBytes -= kept.removeLast().bytes.length;
      }
    }
    return shared;
  }
}
