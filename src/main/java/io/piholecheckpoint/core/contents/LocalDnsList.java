package io.piholecheckpoint.core.contents;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The lists of local DNS entries in pihole.toml: whole lines, compared and paged in memory (the file's size is capped). */
public enum LocalDnsList {
  DNS_RECORDS("dnsRecords"),
  CNAMES("cnames");

  private final String id;

  LocalDnsList(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public List<String> of(ArchiveSettings settings) {
    return this == DNS_RECORDS ? settings.dnsRecords() : settings.cnames();
  }

  public static Optional<LocalDnsList> find(String id) {
    return Arrays.stream(values()).filter(l -> l.id.equals(id)).findFirst();
  }

  /** What a cursor of one change of this list is bound to, beside the gravity lists' own. */
  public String scope(Change change) {
    return "diff:" + id + ":" + change.id();
  }
}
