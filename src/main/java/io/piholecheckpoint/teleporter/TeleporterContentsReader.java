package io.piholecheckpoint.teleporter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.piholecheckpoint.core.archive.InvalidArchiveException;
import io.piholecheckpoint.core.contents.ArchiveContents;
import io.piholecheckpoint.core.contents.ArchiveSettings;
import io.piholecheckpoint.core.contents.SecretDigests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Reads an archive's settings and local DNS from pihole.toml (parsed as TOML; its size is capped, so it is read whole). */
final class TeleporterContentsReader {
  private static final Pattern TABLE = Pattern.compile("^\\s*\\[([A-Za-z0-9_.]+)]");
  private static final Pattern KEY = Pattern.compile("^\\s*([A-Za-z0-9_]+)\\s*=");
  private static final String DNS_HOSTS = "dns.hosts";
  private static final String DNS_CNAMES = "dns.cnameRecords";
  /** The settings shown as local DNS records and CNAMEs, never among the settings. */
  static final java.util.Set<String> LOCAL_DNS = java.util.Set.of(DNS_HOSTS, DNS_CNAMES);

  private final TomlMapper toml = new TomlMapper();
  private final ParsedSettings parsed = new ParsedSettings();

  ArchiveSettings read(ZipFile zip) throws IOException {
    try {
      ZipEntry configEntry = zip.getEntry(TeleporterInspector.CONFIG);
      if (configEntry == null) {
        throw new InvalidArchiveException("the archive has no " + TeleporterInspector.CONFIG);
      }
      byte[] bytes = TeleporterInspector.read(zip, configEntry);
      ArchiveSettings known = parsed.find(bytes);
      if (known != null) {
        return known;
      }
      String configText = new String(bytes, StandardCharsets.UTF_8);
      JsonNode config = toml.readTree(configText);
      Map<String, String> settings = new TreeMap<>();
      flatten("", config, settings);
      settings.remove(DNS_HOSTS);
      settings.remove(DNS_CNAMES);
      SecretDigests secrets = SecretDigests.of(settings);
      // masked here, before anything else sees them: the digests are all that is kept to compare them
      settings.replaceAll((key, value) -> !ArchiveContents.secret(key) ? value : secrets.set(key) ? ArchiveContents.MASK : ArchiveContents.UNSET);
      return parsed.keep(bytes, new ArchiveSettings(texts(config.path("dns").path("hosts")), texts(config.path("dns").path("cnameRecords")),
          settings, changedKeys(configText).stream().filter(settings::containsKey).toList(), secrets));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ParserWords.toml(TeleporterInspector.CONFIG, e);
    }
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), into));
    } else {
      into.put(prefix, TomlValues.text(node));
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(v -> texts.add(v.asText()));
    return texts;
  }

  /** Keys whose line (or the closing line of their multi-line array) FTL marked "### CHANGED". */
  static List<String> changedKeys(String configText) {
    List<String> changed = new ArrayList<>();
    String table = "";
    String key = null;
    for (String line : configText.split("\n")) {
      Matcher t = TABLE.matcher(line);
      Matcher k = KEY.matcher(line);
      if (t.find()) {
        table = t.group(1);
        key = null;
      } else if (k.find()) {
        key = k.group(1);
      }
      if (line.contains("### CHANGED") && key != null) {
        changed.add(table.isEmpty() ? key : table + "." + key);
      }
    }
    return changed;
  }
}
