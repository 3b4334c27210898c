package io.piholecheckpoint;

import io.piholecheckpoint.web.HugeArchiveIT;
import io.piholecheckpoint.web.HugeRestoreIT;
import org.junit.jupiter.api.Nested;

/**
 * The classes that work on a million domains or a 50 MB archive at the image's 96 MB heap, one after another in one
 * test JVM: two of them at once on the two cores would make their time limits lie (testing/ExclusiveTurn). As four
 * classes, failsafe handed them to its two JVMs from one queue, and when both JVMs drew one, one sat idle until the
 * other's turn ended (~110 s of a CI run, bench/RESULTS.md). Here the JVM that draws them runs them in turn while the
 * other runs everything else. pom.xml keeps the classes out of failsafe's own scan; {@code -Dit.test=HugeArchiveIT}
 * still runs one alone, and the turn still keeps two such runs apart. The four are now two, each with one app: the hostile
 * archives (once HostileArchiveIT, with a million-domain archive, an app, an import and a backup of its own) run against
 * HugeArchiveIT's app and million-domain work, and the off-site fetch of a 50 MB archive (once HugeOffsiteFetchIT, an app
 * and an import of the same archive) against HugeRestoreIT's.
 * <p>
 * The longest class of the suite by far, so it must start first: failsafe hands classes to its JVMs in its run order,
 * which pom.xml sets to alphabetical, and this class's name (in the root package, an upper-case letter after
 * {@code io.piholecheckpoint.}) sorts before every class of a feature package. In the file system's order it started
 * about 1.5 min into a CI run's IT phase, and the phase ended that much later.
 */
class MillionDomainsIT {
  @Nested
  class HugeArchive extends HugeArchiveIT {
  }

  @Nested
  class HugeRestore extends HugeRestoreIT {
  }
}
