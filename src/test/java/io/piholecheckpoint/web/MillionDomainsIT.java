package io.piholecheckpoint.web;

import io.piholecheckpoint.offsite.HugeOffsiteFetchIT;
import org.junit.jupiter.api.Nested;

/**
 * The classes that work on a million domains or a 50 MB archive at the image's 96 MB heap, one after another in one
 * test JVM: two of them at once on the two cores would make their time limits lie (testing/ExclusiveTurn). As four
 * classes, failsafe handed them to its two JVMs from one queue, and when both JVMs drew one, one sat idle until the
 * other's turn ended (~110 s of a CI run, bench/RESULTS.md). Here the JVM that draws them runs them in turn while the
 * other runs everything else. pom.xml keeps the four out of failsafe's own scan; {@code -Dit.test=HugeArchiveIT}
 * still runs one alone, and the turn still keeps two such runs apart.
 */
class MillionDomainsIT {
  @Nested
  class HugeArchive extends HugeArchiveIT {
  }

  @Nested
  class HugeRestore extends HugeRestoreIT {
  }

  @Nested
  class HostileArchive extends HostileArchiveIT {
  }

  @Nested
  class HugeOffsiteFetch extends HugeOffsiteFetchIT {
  }
}
