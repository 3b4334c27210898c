package io.piholecheckpoint.core.archive;

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

  /**
   * "1,234 domains". Not String.format, which parses its pattern and builds number symbols on
   * every call: a dashboard describes 120 archives, and that was a quarter of its cost.
   */
  static String count(int n, String noun) {
    String digits = Long.toString(Math.abs((long) n));
    StringBuilder out = new StringBuilder(digits.length() + noun.length() + 6);
    if (n < 0) {
      out.append('-');
    }
    int head = (digits.length() - 1) % 3 + 1;
    out.append(digits, 0, head);
    for (int i = head; i < digits.length(); i += 3) {
      out.append(',').append(digits, i, i + 3);
    }
    return out.append(' ').append(noun).append(n == 1 ? "" : "s").toString();
  }
}
