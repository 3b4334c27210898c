package io.piholecheckpoint.teleporter;

import static org.assertj.core.api.Assertions.assertThat;
import java.time.Clock;

import io.piholecheckpoint.core.contents.ArchiveContents;
import io.piholecheckpoint.core.contents.Change;
import io.piholecheckpoint.core.contents.ListCategory;
import io.piholecheckpoint.core.contents.NaturalOrder;
import io.piholecheckpoint.core.contents.Page;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.LargeArchives;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Pages of a list index and of a diff, read cursor after cursor, hold every item once and in
 * {@link NaturalOrder}: the index's order (SQLite, over the stored sort key) and the comparator agree.
 */
class NaturalPagingTest {
  private final TeleporterContents reader = new TeleporterContents(Clock.systemUTC());
  private Path dir;
  private Path fixture;
  private int archives;

  @BeforeProperty
  void folder() throws Exception {
    dir = Files.createTempDirectory("natural-paging");
    fixture = Files.write(dir.resolve("fixture.zip"), Fixtures.archiveA());
  }

  @AfterProperty
  void clean() throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Property(tries = 15)
  void pagesOfAListHoldEveryDomainOnceInNaturalOrder(@ForAll("domains") Set<String> domains, @ForAll("limits") int limit) throws Exception {
    Path archive = withDomains(domains);

    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      Page<?> page = reader.page(archive, ListCategory.DOMAINS, cursor, limit);
      page.items().forEach(d -> seen.add(((ArchiveContents.Domain) d).domain()));
      cursor = page.next();
    } while (cursor != null);

    assertThat(seen).containsExactlyElementsOf(sorted(domains));
  }

  @Property(tries = 10)
  void pagesOfADiffHoldEveryChangeOnceInNaturalOrder(@ForAll("domains") Set<String> before, @ForAll("domains") Set<String> after,
      @ForAll("limits") int limit, @ForAll boolean kept) throws Exception {
    TeleporterContents reader = kept ? new TeleporterContents(Clock.systemUTC(), 0) : this.reader;
    Path older = withDomains(before);
    Path newer = withDomains(after);
    Set<String> added = new TreeSet<>(after);
    added.removeAll(before);

    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      var page = reader.changes(older, newer, ListCategory.DOMAINS, Change.ADDED, cursor, limit);
      seen.addAll(page.items());
      cursor = page.next();
    } while (cursor != null);

    assertThat(seen).containsExactlyElementsOf(sorted(added).stream().map(d -> "deny exact " + d).toList());
  }

  private Path withDomains(Set<String> domains) throws Exception {
    List<String> statements = new ArrayList<>(List.of("DELETE FROM domainlist", "DELETE FROM domainlist_by_group"));
    for (String domain : domains) {
      statements.add("INSERT INTO domainlist(type, domain, enabled, date_added, date_modified) VALUES (1, '" + domain.replace("'", "''")
          + "', 1, 0, 0)");
    }
    return LargeArchives.edited(dir, "a" + archives++, fixture, statements.toArray(String[]::new));
  }

  private static List<String> sorted(Set<String> items) {
    List<String> sorted = new ArrayList<>(items);
    sorted.sort(NaturalOrder.TEXT);
    return sorted;
  }

  @Provide
  Arbitrary<Set<String>> domains() {
    return Arbitraries.strings().withChars("aAbZ0129-.'").ofMinLength(1).ofMaxLength(9).set().ofMaxSize(40);
  }

  @Provide
  Arbitrary<Integer> limits() {
    return Arbitraries.integers().between(1, 7);
  }
}
