package io.piholecheckpoint.core.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each instance's folder: readable where its name allows, its own always. */
class SlugsTest {

  @Test
  void namesThatReduceToOneSlugGetOneFolderEachInTheOrderTheyAreStored() {
    assertThat(Slugs.folderFor("Küche", Set.of())).isEqualTo("kuche");
    assertThat(Slugs.folderFor("Kuche", Set.of("kuche"))).isEqualTo("kuche-2");
    assertThat(Slugs.folderFor("KUCHE!", Set.of("kuche", "kuche-2"))).isEqualTo("kuche-3");
    assertThat(Slugs.folderFor("Home Office", Set.of("home-office"))).isEqualTo("home-office-2");
  }

  @Test
  void namesWithoutLatinLettersGetFoldersOfTheirOwnWhicheverComesFirst() {
    String kitchen = Slugs.folderFor("Кухня", Set.of());
    String living = Slugs.folderFor("Гостиная", Set.of());

    assertThat(Slugs.of("Кухня")).as("the readable slug every build before used: shared").isEqualTo(Slugs.of("Гостиная")).isEqualTo("pihole");
    assertThat(kitchen).matches("pihole-[0-9a-f]{6}").isNotEqualTo(living);
    assertThat(living).matches("pihole-[0-9a-f]{6}");
    assertThat(Slugs.folderFor("客厅", Set.of())).isNotEqualTo(Slugs.folderFor("书房", Set.of()));
    assertThat(Slugs.folderFor("Кухня", Set.of("pihole", living))).as("the same on every install, whatever else is stored").isEqualTo(kitchen);
    assertThat(Slugs.folderFor("кухня", Set.of())).as("names are the same in any case: so is their folder").isEqualTo(kitchen);
    assertThat(Slugs.folderFor("Кухня", Set.of(kitchen))).isEqualTo(kitchen + "-2");
  }

  @Test
  void knowsTheFoldersANameCanHaveAndNoOther() {
    String kitchen = Slugs.folderFor("Кухня", Set.of());

    assertThat(Slugs.couldBeFolderOf("Кухня", "pihole")).as("where builds before put it").isTrue();
    assertThat(Slugs.couldBeFolderOf("Кухня", kitchen)).isTrue();
    assertThat(Slugs.couldBeFolderOf("Кухня", kitchen + "-2")).isTrue();
    assertThat(Slugs.couldBeFolderOf("Кухня", "pihole--7")).as("the upgrade's form for the later of two that shared one").isTrue();
    assertThat(Slugs.couldBeFolderOf("Гостиная", kitchen)).isFalse();
    assertThat(Slugs.couldBeFolderOf("Kuche", "kuche-2")).isTrue();
    assertThat(Slugs.couldBeFolderOf("Office", "home")).isFalse();
    assertThat(Slugs.couldBeFolderOf("Home", "home-office")).isFalse();
  }
}
