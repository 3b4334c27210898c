package io.piholecheckpoint.core.backup;

/** What a Teleporter archive holds, counted when it is verified. */
public record ContentSummary(
    int groups,
    int adlists,
    int allowExact,
    int allowRegex,
    int denyExact,
    int denyRegex,
    int clients,
    int dnsRecords,
    int cnames,
    int changedSettings) {

  /** Everything a restore would bring back, in one number; used to spot archives that lost most of it. */
  public int listEntries() {
    return groups + adlists + allowExact + allowRegex + denyExact + denyRegex + clients + dnsRecords + cnames;
  }

  /** E.g. "2 adlists, 3 domains, 1 client". */
  public String describe() {
    int domains = allowExact + allowRegex + denyExact + denyRegex;
    return String.join(", ", count(adlists, "adlist"), count(domains, "domain"), count(clients, "client"),
        count(dnsRecords, "local DNS record"), count(cnames, "CNAME"), count(groups, "group"));
  }

  private static String count(int n, String noun) {
    return String.format(java.util.Locale.ENGLISH, "%,d %s%s", n, noun, n == 1 ? "" : "s");
  }
}
