package io.piholecheckpoint.core.archive;

/**
 * What a Teleporter archive holds, counted when it is verified.
 *
 * @param otherDomains domains of a type this build does not know (a newer Pi-hole's, or a damaged row): the contents page
 *     and the diff show them, so the counts must too. 0 for a backup counted before they were (its stored count is null).
 */
public record ContentSummary(
    int groups,
    int adlists,
    int allowExact,
    int allowRegex,
    int denyExact,
    int denyRegex,
    int otherDomains,
    int clients,
    int dnsRecords,
    int cnames,
    int changedSettings) {

  /** Everything a restore would bring back, in one number; used to spot archives that lost most of it. */
  public int listEntries() {
    return groups + adlists + domains() + clients + dnsRecords + cnames;
  }

  /** Every domain of the archive, whatever its type. */
  public int domains() {
    return allowExact + allowRegex + denyExact + denyRegex + otherDomains;
  }

  /** E.g. "2 adlists, 3 domains, 1 client". */
  public String describe() {
    return String.join(", ", count(adlists, "adlist"), count(domains(), "domain"), count(clients, "client"),
        count(dnsRecords, "local DNS record"), count(cnames, "CNAME"), count(groups, "group"));
  }

  /** What an archive without gravity.db holds of these, its zeros not counted as if its lists were empty: "2 local DNS records, 1 CNAME". */
  public String describeWithoutLists() {
    return "no lists (no gravity.db), " + count(dnsRecords, "local DNS record") + ", " + count(cnames, "CNAME");
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
