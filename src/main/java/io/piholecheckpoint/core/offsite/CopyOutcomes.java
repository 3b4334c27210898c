package io.piholecheckpoint.core.offsite;

/** Hears how each copy attempt ended, for the metrics: {@code verified}, {@code failed} or {@code mismatch}. */
@FunctionalInterface
public interface CopyOutcomes {
  CopyOutcomes NONE = (destination, outcome) -> { };

  void attempted(String destination, String outcome);
}
