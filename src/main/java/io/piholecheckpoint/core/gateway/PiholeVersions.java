package io.piholecheckpoint.core.gateway;

/** Versions a Pi-hole reports in {@code GET /api/info/version}; any may be null. */
public record PiholeVersions(String core, String ftl, String web) {
  public static final PiholeVersions UNKNOWN = new PiholeVersions(null, null, null);
}
