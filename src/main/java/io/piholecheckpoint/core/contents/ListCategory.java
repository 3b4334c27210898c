package io.piholecheckpoint.core.contents;

import java.util.Arrays;

/** The gravity tables a person knows by name; each can hold a million rows, so it is read a page at a time. */
public enum ListCategory {
  GROUPS("groups", "group"),
  ADLISTS("adlists", "adlist"),
  DOMAINS("domains", "domain"),
  CLIENTS("clients", "client");

  private final String id;
  private final String noun;

  ListCategory(String id, String noun) {
    this.id = id;
    this.noun = noun;
  }

  public String id() {
    return id;
  }

  public String noun() {
    return noun;
  }

  /** @throws IllegalArgumentException naming the categories there are */
  public static ListCategory of(String id) {
    return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown category '" + id + "': use groups, adlists, domains or clients"));
  }
}
