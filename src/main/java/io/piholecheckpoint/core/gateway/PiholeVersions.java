package io.piholecheckpoint.core.gateway;

/** Versions a Pi-hole reports in {@code GET /api/info/version}; any may be null. */
public record PiholeVersions(String core, String ftl, String web) {
  public static final PiholeVersions UNKNOWN = new PiholeVersions(null, null, null);

  /** The versions known, for a person: "core v6.2.2 · FTL v6.4.1", or null when none is. */
  public String describe() {
    String known = java.util.stream.Stream.of(core == null ? null : "core " + core, ftl == null ? null : "FTL " + ftl, web == null ? null : "web " + web)
        .filter(java.util.Objects::nonNull).collect(java.util.stream.Collectors.joining(" · "));
    return known.isEmpty() ? null : known;
  }
}
