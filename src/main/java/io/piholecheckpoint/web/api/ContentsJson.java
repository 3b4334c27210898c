package io.piholecheckpoint.web.api;

import io.piholecheckpoint.core.contents.ArchiveContents;
import io.piholecheckpoint.core.contents.ChangesPage;
import io.piholecheckpoint.core.contents.Page;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON of a backup's contents: each list as the array of its first page (as before the lists
 * were paged), beside {@code totals} and the {@code next} cursor per list for the pages after it.
 */
final class ContentsJson {
  private ContentsJson() {
  }

  static Map<String, Object> of(ArchiveContents c) {
    Map<String, Object> json = new LinkedHashMap<>();
    Map<String, Object> totals = new LinkedHashMap<>();
    Map<String, Object> next = new LinkedHashMap<>();
    Map<String, Page<?>> lists = new LinkedHashMap<>();
    lists.put("groups", c.groups());
    lists.put("adlists", c.adlists());
    lists.put("domains", c.domains());
    lists.put("clients", c.clients());
    lists.forEach((name, page) -> {
      json.put(name, page.items());
      totals.put(name, page.total());
      next.put(name, page.next());
    });
    json.put("totals", totals);
    json.put("next", next);
    json.put("dnsRecords", c.config().dnsRecords());
    json.put("cnames", c.config().cnames());
    json.put("settings", c.config().settings());
    json.put("changedSettings", c.config().changedSettings());
    return json;
  }

  static Map<String, Object> page(String category, String change, Page<?> page) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("category", category);
    if (change != null) {
      json.put("change", change);
    }
    json.put("total", page.total());
    json.put("items", page.items());
    json.put("next", page.next());
    return json;
  }

  /** A further page of a diff's list: its changed items with their fields, in the shape of the first page's {@code fields}. */
  static Map<String, Object> page(String category, String change, ChangesPage page) {
    Map<String, Object> json = page(category, change, new Page<>(page.total(), page.items(), page.next()));
    json.put("fields", page.fields());
    return json;
  }


}
