package io.piholecheckpoint.teleporter;

import java.time.Clock;
import io.piholecheckpoint.testing.UnitRunTries;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.contents.Change;
import io.piholecheckpoint.core.contents.ContentDiff;
import io.piholecheckpoint.core.contents.FieldChange;
import io.piholecheckpoint.core.contents.ListCategory;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.LargeArchives;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** A diff read from two list indexes, kept or not, says exactly what the direct comparison of the two gravity.db copies says. */
@AddLifecycleHook(UnitRunTries.class)
class IndexDiffTest {
  /** Every diff kept (read from its file in the scratch folder) or none (read where it was computed). */
  private static final TeleporterContents KEPT = new TeleporterContents(Clock.systemUTC(), 0);
  private static final TeleporterContents COMPUTED = new TeleporterContents(Clock.systemUTC(), Long.MAX_VALUE);

  record Domain(String domain, int type, int enabled, String comment, int group) {
    String key() {
      return domain + "/" + type;
    }
  }

  @Property(tries = 40)
  void indexDiffEqualsDirectDiff(@ForAll("lists") List<Domain> before, @ForAll("lists") List<Domain> other, @ForAll boolean unrelated,
                                 @ForAll Random random, @ForAll("comments") String clientBefore, @ForAll("comments") String clientAfter,
                                 @ForAll boolean kept) throws Exception {
    TeleporterContents reader = kept ? KEPT : COMPUTED;
    List<Domain> after = unrelated ? other : drifted(before, other, random);
    Path dir = Files.createTempDirectory("index-diff-");
    try {
      Path fixture = Files.write(dir.resolve("fixture.zip"), Fixtures.archiveA());
      Path older = archive(dir, "older", fixture, before, clientBefore);
      Path newer = archive(dir, "newer", fixture, after, clientAfter);

      Map<ListCategory, ContentDiff.Category> indexed = reader.listChanges(older, newer, 5);
      Map<ListCategory, ContentDiff.Category> direct = direct(older, newer, 5);

      // the reference compares rows, not fields: the fields are held to their own rule here and checked by example below
      assertThat(withoutFields(indexed)).isEqualTo(direct);
      indexed.values().forEach(c -> assertThat(c.changed()).allSatisfy(item -> assertThat(c.fields().get(item)).as(item).isNotEmpty()));
      for (Change change : Change.values()) {
        assertThat(reader.changes(older, newer, ListCategory.DOMAINS, change, null, 3).items())
            .isEqualTo(direct.get(ListCategory.DOMAINS).items(change).stream().limit(3).toList());
      }
      // the other direction, read from the comparison just kept (or computed again): what the reference says of it
      Map<ListCategory, ContentDiff.Category> reverse = reader.listChanges(newer, older, 5);
      assertThat(withoutFields(reverse)).isEqualTo(direct(newer, older, 5));
      for (ListCategory category : indexed.keySet()) {
        ContentDiff.Category forward = indexed.get(category);
        ContentDiff.Category backward = reverse.get(category);
        backward.changed().forEach(item -> assertThat(backward.fields().get(item)).as(item).isEqualTo(swapped(forward.fields().get(item))));
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Property(tries = 2)
  void aChangedItemSaysWhichOfItsFieldsChangedFromWhatToWhat(@ForAll boolean kept) throws Exception {
    TeleporterContents reader = kept ? KEPT : COMPUTED;
    Path dir = Files.createTempDirectory("index-diff-");
    try {
      Path fixture = Files.write(dir.resolve("fixture.zip"), Fixtures.archiveA());
      Path older = archive(dir, "older", fixture, List.of(new Domain("a.example", 1, 1, "old", 0), new Domain("b.example", 1, 1, "same", 0)), "c");
      Path newer = archive(dir, "newer", fixture, List.of(new Domain("a.example", 1, 0, "new", 1), new Domain("b.example", 1, 1, "same", 0)), "c");

      ContentDiff.Category domains = reader.listChanges(older, newer, 5).get(ListCategory.DOMAINS);

      assertThat(domains.changed()).containsExactly("deny exact a.example");
      List<FieldChange> fields = domains.fields().get("deny exact a.example");
      assertThat(fields).extracting(FieldChange::field).containsExactly("enabled", "comment", "groups");
      assertThat(fields.get(0)).isEqualTo(new FieldChange("enabled", "yes", "no"));
      assertThat(fields.get(1)).isEqualTo(new FieldChange("comment", "old", "new"));
      assertThat(fields.get(2).before()).isNotEqualTo(fields.get(2).after());
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** A changed item's fields seen the other way round. */
  private static List<FieldChange> swapped(List<FieldChange> fields) {
    return fields.stream().map(f -> new FieldChange(f.field(), f.after(), f.before())).toList();
  }

  private static Map<ListCategory, ContentDiff.Category> withoutFields(Map<ListCategory, ContentDiff.Category> diff) {
    Map<ListCategory, ContentDiff.Category> bare = new EnumMap<>(ListCategory.class);
    diff.forEach((category, c) -> bare.put(category, new ContentDiff.Category(c.added(), c.removed(), c.changed(), c.addedTotal(),
        c.removedTotal(), c.changedTotal(), c.next())));
    return bare;
  }

  @Provide
  Arbitrary<List<Domain>> lists() {
    // few names, so that two lists share many keys; up to 150 rows, so that a list spans several blocks
    Arbitrary<String> name = Arbitraries.oneOf(Arbitraries.strings().withCharRange('a', 'e').ofMinLength(1).ofMaxLength(3).map(s -> s + ".example"),
        Arbitraries.of("(^|\\.)ads\\.", "\u00e9t\u00e9.example", "x.test"));
    Arbitrary<Domain> domain = Combinators.combine(name,
        Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 1), comments(), Arbitraries.integers().between(-1, 1)).as(Domain::new);
    return domain.list().ofMaxSize(150).map(IndexDiffTest::uniqueKeys);
  }

  @Provide
  Arbitrary<String> comments() {
    return Arbitraries.of("", "x", "y").injectNull(0.3);
  }

  /** {@code before} a little later: some rows gone, some comments changed, {@code added}'s rows new. Most blocks stay equal. */
  private static List<Domain> drifted(List<Domain> before, List<Domain> added, Random random) {
    List<Domain> after = new ArrayList<>();
    for (Domain d : before) {
      int fate = random.nextInt(20);
      if (fate == 0) {
        after.add(new Domain(d.domain(), d.type(), d.enabled(), "changed", d.group()));
      } else if (fate == 1) {
        after.add(new Domain(d.domain(), d.type(), d.enabled(), d.comment(), d.group() == 1 ? 0 : 1));
      } else if (fate != 2) {
        after.add(d);
      }
    }
    after.addAll(added.subList(0, random.nextInt(added.size() + 1)));
    return uniqueKeys(after);
  }

  /** Pi-hole's UNIQUE(domain, type): one row per key. */
  private static List<Domain> uniqueKeys(List<Domain> domains) {
    Map<String, Domain> unique = new LinkedHashMap<>();
    domains.forEach(d -> unique.putIfAbsent(d.key(), d));
    return new ArrayList<>(unique.values());
  }

  private static Path archive(Path dir, String name, Path fixture, List<Domain> domains, String clientComment) throws Exception {
    List<String> statements = new ArrayList<>(List.of("DELETE FROM domainlist", "DELETE FROM domainlist_by_group",
        "UPDATE client SET comment = " + literal(clientComment)));
    int id = 1;
    for (Domain d : domains) {
      statements.add("INSERT INTO domainlist(id, type, domain, enabled, comment) VALUES (" + id + ", " + d.type() + ", " + literal(d.domain())
          + ", " + d.enabled() + ", " + literal(d.comment()) + ")");
      if (d.group() >= 0) {
        statements.add("INSERT INTO domainlist_by_group(domainlist_id, group_id) VALUES (" + id + ", " + d.group() + ")");
      }
      id++;
    }
    return LargeArchives.edited(dir, name, fixture, statements.toArray(String[]::new));
  }

  private static String literal(String text) {
    return text == null ? "NULL" : "'" + text.replace("'", "''") + "'";
  }

  /** The comparison the index replaced: EXCEPT over both gravity.db copies. */
  private static Map<ListCategory, ContentDiff.Category> direct(Path older, Path newer, int first) throws Exception {
    try (ZipFile o = new ZipFile(older.toFile()); ZipFile n = new ZipFile(newer.toFile())) {
      return GravityPair.compare(o, n, db -> {
        Map<ListCategory, ContentDiff.Category> categories = new EnumMap<>(ListCategory.class);
        for (GravityTable table : GravityTable.values()) {
          categories.put(table.category, GravityPair.category(db, table, first));
        }
        return categories;
      });
    }
  }
}
