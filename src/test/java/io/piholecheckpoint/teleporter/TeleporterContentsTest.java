package io.piholecheckpoint.teleporter;

import static org.assertj.core.api.Assertions.assertThat;
import java.time.Clock;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.contents.ArchiveContents;
import io.piholecheckpoint.core.contents.Change;
import io.piholecheckpoint.core.contents.ContentDiff;
import io.piholecheckpoint.core.contents.ListCategory;
import io.piholecheckpoint.core.contents.NaturalOrder;
import io.piholecheckpoint.core.contents.Page;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.LargeArchives;
import io.piholecheckpoint.testing.TestArchives;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pages and diffs of a Pi-hole with thousands of domains: every item once, in order, however the pages are cut. */
class TeleporterContentsTest {
  private static final int DOMAINS = 6000;
  private static final TeleporterContents reader = new TeleporterContents(Clock.systemUTC());

  @TempDir
  static Path dir;

  private static Path a;
  private static Path b;

  @BeforeAll
  static void archives() throws Exception {
    a = LargeArchives.withDenyDomains(dir, "a", DOMAINS);
    b = LargeArchives.drifted(dir, "b", a);
  }

  @Nested
  class Contents {
    @Test
    void pagesThroughEveryDomainOnceInNaturalOrder() throws Exception {
      List<String> seen = new ArrayList<>();
      List<String> domains = new ArrayList<>();
      String cursor = null;
      int pages = 0;
      do {
        Page<?> page = reader.page(a, ListCategory.DOMAINS, cursor, 997);
        assertThat(page.total()).isEqualTo(DOMAINS + LargeArchives.FIXTURE_DOMAINS);
        page.items().forEach(d -> seen.add(((ArchiveContents.Domain) d).domain() + " " + ((ArchiveContents.Domain) d).kind()));
        page.items().forEach(d -> domains.add(((ArchiveContents.Domain) d).domain()));
        cursor = page.next();
        pages++;
      } while (cursor != null);

      assertThat(seen).hasSize(DOMAINS + LargeArchives.FIXTURE_DOMAINS).doesNotHaveDuplicates();
      assertThat(domains).isSortedAccordingTo(NaturalOrder.TEXT);
      assertThat(pages).isEqualTo((DOMAINS + LargeArchives.FIXTURE_DOMAINS + 996) / 997);
    }

    @Test
    void firstPagesCarryTotalsAndGroupNames() throws Exception {
      ArchiveContents contents = reader.contents(a, 10);

      assertThat(contents.domains().items()).hasSize(10);
      assertThat(contents.domains().total()).isEqualTo(DOMAINS + LargeArchives.FIXTURE_DOMAINS);
      assertThat(contents.domains().next()).isNotNull();
      assertThat(contents.domains().items()).allSatisfy(d -> assertThat(d.groups()).containsExactly("Default"));
      assertThat(contents.groups().next()).as("two groups fit in one page").isNull();
    }

    @Test
    void refusesACursorItDidNotHandOut() {
      assertThatThrownBy(() -> reader.page(a, ListCategory.DOMAINS, "not a cursor!", 10)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("start again without it");
    }

    @Test
    void anArchiveWithoutGravityHasEmptyLists() throws Exception {
      Path wiped = Files.write(dir.resolve("wiped.zip"), TestArchives.withoutGravity(Fixtures.archiveA()));

      assertThat(reader.contents(wiped, 10).domains().total()).isZero();
    }
  }

  @Nested
  class Diffs {
    @Test
    void countsEveryChangeAndListsTheFirstOnes() throws Exception {
      ContentDiff.Category domains = reader.listChanges(a, b, 50).get(ListCategory.DOMAINS);

      assertThat(domains.addedTotal()).isEqualTo(LargeArchives.ADDED);
      assertThat(domains.removedTotal()).isEqualTo(LargeArchives.REMOVED);
      assertThat(domains.changedTotal()).isEqualTo(LargeArchives.CHANGED);
      assertThat(domains.added()).hasSize(50).allMatch(i -> i.startsWith("deny exact new")).isSortedAccordingTo(NaturalOrder.TEXT);
      assertThat(domains.truncated()).isTrue();
    }

    @Test
    void pagesThroughEveryRemovedDomainOnce() throws Exception {
      List<String> seen = new ArrayList<>();
      String cursor = null;
      do {
        var page = reader.changes(a, b, ListCategory.DOMAINS, Change.REMOVED, cursor, 333);
        assertThat(page.total()).isEqualTo(LargeArchives.REMOVED);
        seen.addAll(page.items());
        cursor = page.next();
      } while (cursor != null);

      assertThat(seen).hasSize(LargeArchives.REMOVED).doesNotHaveDuplicates();
    }

    @Test
    void countsOnlyWhenNoItemsAreAskedFor() throws Exception {
      ContentDiff diff = reader.diff(a, b, 0);

      assertThat(diff.categories().get("domains").added()).isEmpty();
      assertThat(diff.summary()).isEqualTo("+1,000 domains, \u22122,000 domains, 1,000 domains changed");
    }

    @Test
    void aWipedPiholeLostEveryList() throws Exception {
      Path wiped = Files.write(dir.resolve("wiped-diff.zip"), TestArchives.withoutGravity(Fixtures.archiveA()));

      ContentDiff diff = reader.diff(a, wiped, 5);

      assertThat(diff.categories().get("domains").removedTotal()).isEqualTo(DOMAINS + LargeArchives.FIXTURE_DOMAINS);
      assertThat(diff.categories().get("adlists").removedTotal()).isEqualTo(2);
      assertThat(reader.diff(wiped, a, 5).categories().get("groups").addedTotal()).isEqualTo(2);
    }

    @Test
    void aDomainMovedToAnotherGroupIsChangedWhateverTheGroupIds() throws Exception {
      Path fixture = Files.write(dir.resolve("fa.zip"), Fixtures.archiveA());
      Path moved = LargeArchives.edited(dir, "moved", fixture, "INSERT INTO domainlist_by_group VALUES (1, 1)");
      Path renumbered = LargeArchives.edited(dir, "renumbered", fixture, "UPDATE \"group\" SET id = id + 10",
          "UPDATE domainlist_by_group SET group_id = group_id + 10", "UPDATE adlist_by_group SET group_id = group_id + 10",
          "UPDATE client_by_group SET group_id = group_id + 10");

      assertThat(reader.diff(fixture, moved, 5).categories().get("domains").changed()).containsExactly("deny exact ads.example.com");
      assertThat(reader.diff(fixture, renumbered, 5).empty()).as("groups are compared by name, not id").isTrue();
    }
  }
}
