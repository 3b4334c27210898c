import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.HostileArchives;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;

/**
 * Writes the seeds the fuzz targets of ArchiveFuzzTest start from (and normal builds replay):
 * the real fixtures and small hostile archives, for each of the three targets. Run by bench/fuzz.sh seeds:
 *   java -cp target/test-classes:target/classes:LIBS bench/FuzzSeeds.java src/test/resources/io/piholecheckpoint/teleporter/ArchiveFuzzTestInputs
 */
public class FuzzSeeds {
  public static void main(String[] args) throws Exception {
    Path inputs = Path.of(args[0]);
    Path work = Files.createTempDirectory("seeds-");
    Path raw = Files.createDirectories(inputs.resolve("inspectsAnyBytes"));
    Path toml = Files.createDirectories(inputs.resolve("readsAnyPiholeToml"));
    Path gravity = Files.createDirectories(inputs.resolve("readsAnyGravityDatabase"));

    Files.write(raw.resolve("fixture-a"), Fixtures.archiveA());
    Files.write(raw.resolve("fixture-b"), Fixtures.archiveB());
    Files.copy(HostileArchives.lyingBomb(work.resolve("bomb.zip"), 8L << 20, 32_768), raw.resolve("lying-header-bomb"));
    Files.write(raw.resolve("many-entries"), HostileArchives.manyEntries(1_200));
    Files.write(raw.resolve("nested-toml"), HostileArchives.deeplyNestedConfig(300));
    Files.copy(HostileArchives.archive(work.resolve("view.zip"), HostileArchives.gravityWithViewDomainlist(work.resolve("view.db"), -1)),
        raw.resolve("endless-view"));

    Path fixture = Files.write(work.resolve("a.zip"), Fixtures.archiveA());
    try (ZipFile zip = new ZipFile(fixture.toFile())) {
      Files.write(toml.resolve("fixture"), zip.getInputStream(zip.getEntry("etc/pihole/pihole.toml")).readAllBytes());
      Files.write(gravity.resolve("fixture"), zip.getInputStream(zip.getEntry("etc/pihole/gravity.db")).readAllBytes());
    }
    Files.writeString(toml.resolve("nested-arrays"), "a = " + "[".repeat(40) + "]".repeat(40) + "\n", StandardCharsets.UTF_8);
    Files.writeString(toml.resolve("nested-tables"), "b = " + "{x = ".repeat(40) + "1" + "}".repeat(40) + "\n", StandardCharsets.UTF_8);
    Files.writeString(toml.resolve("strings-and-brackets"), "[dns]\nhosts = [\"1.2.3.4 a\", '[[[', \"\"\"\n{{\n\"\"\"] # [[\n[[x.y]]\nz = 1 ### CHANGED\n");

    Files.copy(HostileArchives.gravityWithViewDomainlist(work.resolve("v.db"), -1), gravity.resolve("endless-view"));
    Files.copy(HostileArchives.gravityWithTriggers(work.resolve("t.db")), gravity.resolve("triggers"));
    Files.copy(HostileArchives.gravityWithDomainlist(work.resolve("g.db"), "CREATE TABLE domainlist (id INTEGER PRIMARY KEY, type INTEGER, "
        + "name TEXT, domain TEXT GENERATED ALWAYS AS (name || '.com'), enabled INTEGER, comment TEXT);"), gravity.resolve("generated-column"));
    Files.copy(HostileArchives.gravityWithDomains(work.resolve("d.db"), 200), gravity.resolve("two-hundred-domains"));
  }
}
