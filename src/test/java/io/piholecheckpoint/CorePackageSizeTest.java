package io.piholecheckpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core stays readable by feature: a package past 18 files or 1,000 lines is two features, split
 * by what its parts are (ARCHITECTURE.md). Counted in the sources, as {@code ls *.java | wc -l} and
 * {@code cat *.java | wc -l} count them in each package's folder, sub-packages on their own.
 */
class CorePackageSizeTest {
  private static final Path CORE = Path.of("src/main/java/io/piholecheckpoint/core");
  private static final int MAX_FILES = 18;
  private static final int MAX_LINES = 1_000;

  @Test
  void noCorePackageHasMoreThanEighteenFilesOrAThousandLines() throws IOException {
    assertThat(sizes(CORE)).as("the core's packages, read from %s", CORE.toAbsolutePath()).containsKeys("backup", "offsite", "sync");
    assertThat(oversized(CORE)).as("core packages over %d files or %d lines: split each by what its parts are", MAX_FILES, MAX_LINES)
        .isEmpty();
  }

  @Test
  void aPackageOverEitherLimitIsNamedWithItsCounts(@TempDir Path core) throws IOException {
    write(core.resolve("many"), 19, 1);
    write(core.resolve("fine"), 18, 55);
    write(core.resolve("fine/long"), 1, 1_001);

    assertThat(oversized(core)).containsExactly("core.fine.long: 1 files, 1001 lines", "core.many: 19 files, 19 lines");
  }

  /** "core.PACKAGE: N files, M lines" for each package over a limit, by name. */
  private static List<String> oversized(Path core) throws IOException {
    return sizes(core).entrySet().stream().filter(e -> e.getValue()[0] > MAX_FILES || e.getValue()[1] > MAX_LINES)
        .map(e -> "core." + e.getKey() + ": " + e.getValue()[0] + " files, " + e.getValue()[1] + " lines").toList();
  }

  /** Per package under {@code core} (dotted, relative to it): its own .java files and their lines. */
  private static Map<String, long[]> sizes(Path core) throws IOException {
    Map<String, long[]> sizes = new TreeMap<>();
    try (Stream<Path> files = Files.walk(core)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String pkg = core.relativize(file.getParent()).toString().replace(file.getFileSystem().getSeparator(), ".");
        long[] size = sizes.computeIfAbsent(pkg, p -> new long[2]);
        size[0]++;
        try (Stream<String> lines = Files.lines(file)) {
          size[1] += lines.count();
        }
      }
    }
    return sizes;
  }

  private static void write(Path pkg, int files, int linesEach) throws IOException {
    Files.createDirectories(pkg);
    for (int i = 0; i < files; i++) {
      Files.writeString(pkg.resolve("C" + i + ".java"), "//\n".repeat(linesEach));
    }
  }
}
