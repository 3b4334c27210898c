package io.piholecheckpoint.core.contents;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * An archive entry outside the lists and settings (etc/hosts, dhcp.leases, …) that was added,
 * removed or changed between two archives. Compared by the CRC-32 and size in the ZIP's central
 * directory: nothing is decompressed, and contents are never shown (they may be sensitive).
 *
 * @param change {@code added}, {@code removed} or {@code changed}
 */
public record OtherEntry(String name, String change) {
  /**
   * Not named: the lists and settings of a diff show what differs in pihole.toml and gravity.db
   * (their bytes differ between any two exports, by a timestamp at least), and pihole-FTL.db is the
   * query log, different in every export and left out of the content hash for that reason.
   */
  private static final List<String> NOT_NAMED = List.of("etc/pihole/pihole.toml", io.piholecheckpoint.core.archive.GravityEntry.PATH, "etc/pihole/pihole-FTL.db");

  static List<OtherEntry> between(Path before, Path after) throws IOException {
    Map<String, String> old = fingerprints(before);
    Map<String, String> now = fingerprints(after);
    TreeSet<String> names = new TreeSet<>(NaturalOrder.TEXT);
    names.addAll(old.keySet());
    names.addAll(now.keySet());
    List<OtherEntry> entries = new ArrayList<>();
    for (String name : names) {
      if (NOT_NAMED.contains(name) || Objects.equals(old.get(name), now.get(name))) {
        continue;
      }
      entries.add(new OtherEntry(name, !old.containsKey(name) ? "added" : !now.containsKey(name) ? "removed" : "changed"));
    }
    return entries;
  }

  /**
   * Names joined for a summary line, each kind of change said: "etc/dnsmasq.d/new.conf added, etc/hosts, dhcp.leases changed". A
   * config file that appeared or vanished, called "changed", read as if it had been there all along.
   */
  static String described(List<OtherEntry> entries) {
    List<String> kinds = new ArrayList<>();
    for (String change : List.of("added", "removed", "changed")) {
      List<String> names = entries.stream().filter(e -> e.change.equals(change)).map(OtherEntry::name).toList();
      if (!names.isEmpty()) {
        kinds.add(String.join(", ", names) + " " + change);
      }
    }
    return String.join(", ", kinds);
  }

  private static Map<String, String> fingerprints(Path archive) throws IOException {
    Map<String, String> fingerprints = new TreeMap<>();
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      for (ZipEntry entry : Collections.list(zip.entries())) {
        if (!entry.isDirectory()) {
          fingerprints.put(entry.getName(), entry.getCrc() + ":" + entry.getSize());
        }
      }
    }
    return fingerprints;
  }
}
