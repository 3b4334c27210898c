package io.piholecheckpoint.core.offsite.remote;

import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A configured destination with what it takes: which instances (by their {@code PIHOLE_<P>_}
 * prefix or name; empty for all), how long copies stay there, and whether archives must be
 * encrypted before they leave (the default: they hold password hashes).
 *
 * @param instances upper-cased prefixes or names, empty for every instance
 * @param prefixesOnly the entries that are the prefix P of a {@code PIHOLE_<P>_URL} of this process's environment: each
 *     names that Pi-hole alone, never another of that name (one added in the UI, when the environment's gave way to it)
 */
public record OffsiteTarget(String name, Destination destination, List<String> instances, RemoteRetention retention, boolean encrypt,
                            Set<String> prefixesOnly) {
  public OffsiteTarget {
    instances = instances.stream().map(i -> i.trim().toUpperCase(Locale.ROOT)).filter(i -> !i.isEmpty()).toList();
    prefixesOnly = prefixesOnly.stream().map(i -> i.toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
  }

  public OffsiteTarget(String name, Destination destination, List<String> instances, RemoteRetention retention, boolean encrypt) {
    this(name, destination, instances, retention, encrypt, Set.of());
  }

  /**
   * The entries of its instances (as stored: upper case) that are no instance's prefix or name: a
   * typo there copies nothing of the instance it meant, which nothing else would tell.
   */
  public List<String> namingNobody(List<PiholeInstance> known) {
    return instances.stream().filter(entry -> known.stream().noneMatch(i -> names(entry, i))).toList();
  }

  public boolean takes(PiholeInstance instance) {
    return instances.isEmpty() || instances.stream().anyMatch(entry -> names(entry, instance));
  }

  private boolean names(String entry, PiholeInstance instance) {
    boolean byPrefix = instance.envPrefix() != null && entry.equals(instance.envPrefix().toUpperCase(Locale.ROOT));
    return byPrefix || !prefixesOnly.contains(entry) && entry.equals(instance.name().toUpperCase(Locale.ROOT));
  }

  /**
   * {@code OFFSITE_<NAME>_MAX_BACKUPS}, {@code _MAX_AGE_DAYS}, {@code _KEEP_DAILY/_WEEKLY/_MONTHLY}:
   * each unset one (null) is the instance's own.
   */
  public record RemoteRetention(Integer maxBackups, Integer maxAgeDays, Integer keepDaily, Integer keepWeekly, Integer keepMonthly) {
    public static final RemoteRetention INSTANCES_OWN = new RemoteRetention(null, null, null, null, null);

    public RetentionPolicy over(RetentionPolicy own) {
      return new RetentionPolicy(or(maxBackups, own.maxBackups()), or(maxAgeDays, own.maxAgeDays()), or(keepDaily, own.keepDaily()),
          or(keepWeekly, own.keepWeekly()), or(keepMonthly, own.keepMonthly()));
    }

    private static int or(Integer value, int fallback) {
      return value == null ? fallback : value;
    }
  }
}
