package io.piholecheckpoint.core.contents;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Outsider 47 F3: the history's change line said "changed" of archive entries the diff of the same pair calls added or removed. */
class ContentDiffSummaryTest {
  private static final ContentDiff NOTHING = new ContentDiff(Map.of(), List.of());

  @Test
  void entriesThatAppearedOrVanishedAreCalledAddedOrRemovedAsTheDiffCallsThem() {
    ContentDiff diff = NOTHING.withOtherEntries(List.of(new OtherEntry("etc/dnsmasq.d/new.conf", "added"),
        new OtherEntry("etc/dnsmasq.d/old.conf", "removed"), new OtherEntry("etc/hosts", "changed"), new OtherEntry("etc/pihole/dhcp.leases", "changed")));

    assertThat(diff.summary()).isEqualTo("no list or setting changes; other archive content differs: etc/dnsmasq.d/new.conf added, "
        + "etc/dnsmasq.d/old.conf removed, etc/hosts, etc/pihole/dhcp.leases changed");
  }

  @Test
  void besideListChangesEachEntryIsSaidWithItsKindOfChange() {
    ContentDiff diff = new ContentDiff(Map.of("adlists", new ContentDiff.Category(List.of("https://a.example"), List.of(), List.of(), 1, 0, 0,
        ContentDiff.Next.NONE)), List.of()).withOtherEntries(List.of(new OtherEntry("etc/dnsmasq.d/gone.conf", "removed")));

    assertThat(diff.summary()).isEqualTo("+1 adlist, etc/dnsmasq.d/gone.conf removed");
  }
}
