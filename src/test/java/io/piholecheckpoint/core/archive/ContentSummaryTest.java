package io.piholecheckpoint.core.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class ContentSummaryTest {
  @Test
  void countsAreWrittenWithThousandsSeparatorsLikeStringFormat() {
    for (int n : new int[] {0, 1, 2, 999, 1000, 12_345, 999_999, 1_000_000, 123_456_789, -1, -4321, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
      assertThat(ContentSummary.count(n, "domain")).as("%d", n)
          .isEqualTo(String.format(Locale.ENGLISH, "%,d domain%s", n, n == 1 ? "" : "s"));
    }
  }

  @Test
  void describesWhatARestoreWouldBringBack() {
    ContentSummary summary = new ContentSummary(1, 2, 1000, 200, 30, 4, 0, 1, 0, 3, 7);

    assertThat(summary.describe()).isEqualTo("2 adlists, 1,234 domains, 1 client, 0 local DNS records, 3 CNAMEs, 1 group");
  }

  @Test
  void domainsOfAnUnknownTypeAreDomainsToo() {
    ContentSummary summary = new ContentSummary(0, 0, 2, 0, 1, 1, 2, 0, 0, 0, 0);

    assertThat(summary.domains()).isEqualTo(6);
    assertThat(summary.listEntries()).isEqualTo(6);
    assertThat(summary.describe()).startsWith("0 adlists, 6 domains,");
  }
}
