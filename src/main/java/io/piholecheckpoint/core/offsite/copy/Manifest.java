package io.piholecheckpoint.core.offsite.copy;

import io.piholecheckpoint.core.archive.Archive;
import io.piholecheckpoint.core.archive.ContentSummary;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.offsite.queue.Copy;

/**
 * The small JSON file beside each copy ({@code <remote key>.json}), so that the destination alone
 * says what it holds: whose archive, when, how big, with which digests (of the plain archive and
 * of the uploaded bytes) and what it contains. No secret is in it. Written by hand: the core
 * knows no JSON library, and these are a dozen flat fields.
 */
public final class Manifest {
  public static final String SUFFIX = ".json";

  private Manifest() {
  }

  static String of(PiholeInstance instance, Backup backup, Copy copy, Uploads.Sent sent) {
    Archive a = backup.archive();
    ContentSummary s = a.summary();
    StringBuilder json = new StringBuilder(1024).append("{\n");
    field(json, "format", "pihole-checkpoint-offsite/1");
    field(json, "instance", instance.name());
    field(json, "instanceSlug", instance.slug());
    field(json, "instanceUrl", instance.url());
    field(json, "backupId", backup.id());
    field(json, "trigger", backup.trigger().name().toLowerCase(java.util.Locale.ROOT));
    field(json, "pinned", backup.pinned()); // so that a disaster recovery keeps the pin: written again when it changes
    // and how it is judged, so that a recovered install treats it as this one does (a wiped backup is no baseline there either):
    // accepted is written again when a person accepts it; changes says why it was flagged
    field(json, "suspicious", backup.suspicious());
    field(json, "accepted", backup.accepted());
    field(json, "changes", a.changes());
    field(json, "startedAt", String.valueOf(backup.startedAt()));
    field(json, "finishedAt", String.valueOf(backup.finishedAt()));
    field(json, "fileName", a.fileName());
    field(json, "remoteKey", copy.remoteKey());
    field(json, "archiveBytes", a.sizeBytes());
    field(json, "archiveSha256", a.sha256());
    field(json, "uploadedBytes", sent.bytes());
    field(json, "uploadedSha256", sent.sha256());
    field(json, "encrypted", copy.remoteKey().endsWith(io.piholecheckpoint.core.archive.ArchiveCipher.SUFFIX));
    field(json, "contentHash", a.contentHash());
    field(json, "summary", s == null ? null : s.describe());
    field(json, "counts", s == null ? null : counts(s));
    // beside the ten numbers, not an eleventh: a build before it refuses counts that are not ten numbers
    field(json, "otherDomains", s == null ? null : s.otherDomains());
    field(json, "piholeCore", a.versions() == null ? null : a.versions().core());
    field(json, "piholeFtl", a.versions() == null ? null : a.versions().ftl());
    field(json, "piholeWeb", a.versions() == null ? null : a.versions().web());
    json.setLength(json.length() - 2);
    return json.append("\n}\n").toString();
  }

  /** The summary's ten numbers in the record's order, so that an adopting install gets the counts back, not just their wording. */
  private static String counts(ContentSummary s) {
    return s.groups() + "," + s.adlists() + "," + s.allowExact() + "," + s.allowRegex() + "," + s.denyExact() + "," + s.denyRegex() + ","
        + s.clients() + "," + s.dnsRecords() + "," + s.cnames() + "," + s.changedSettings();
  }

  private static void field(StringBuilder json, String name, Object value) {
    json.append("  \"").append(name).append("\": ");
    if (value == null) {
      json.append("null");
    } else if (value instanceof Number || value instanceof Boolean) {
      json.append(value);
    } else {
      string(json, value.toString());
    }
    json.append(",\n");
  }

  private static void string(StringBuilder json, String text) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
