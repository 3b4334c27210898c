package io.piholecheckpoint.core.units;

/**
 * Sizes as people read them: decimal units (1 kB = 1000 B, as disks and Pi-hole's own pages count),
 * one decimal, never more than four digits ("999.9 kB", then "1.0 MB"). app.js's formatSize follows
 * the same rules for the sizes it shows live; the APIs keep raw bytes.
 */
public final class ByteSize {
  private static final String[] UNITS = {"kB", "MB", "GB", "TB", "PB", "EB"};

  private ByteSize() {
  }

  /** "84.7 GB" for 84,681,700,000; "unknown" for a negative count, which is how callers say they could not measure. */
  public static String format(long bytes) {
    if (bytes < 0) {
      return "unknown";
    }
    if (bytes < 1000) {
      return bytes + " B";
    }
    // tenths of the unit, rounded half up, in integers: exact for every long, so the order of sizes is kept
    long tenthDivisor = 100;
    for (String unit : UNITS) {
      long tenths = bytes / tenthDivisor + (bytes % tenthDivisor >= tenthDivisor - bytes % tenthDivisor ? 1 : 0);
      if (tenths < 10_000) {
        return (tenths / 10) + "." + (tenths % 10) + " " + unit;
      }
      tenthDivisor *= 1000;
    }
    throw new AssertionError("a long is below 10,000 EB");
  }
}
