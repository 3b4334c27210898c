package io.piholecheckpoint.web.page;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.offsite.CheckAgain;
import io.piholecheckpoint.core.offsite.CheckRunningException;
import io.piholecheckpoint.core.offsite.catalog.OffsiteCatalog;
import io.piholecheckpoint.core.offsite.catalog.OffsiteCatalog.DestinationStatus;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.core.offsite.remote.DestinationDisabledException;
import io.piholecheckpoint.core.offsite.remote.DestinationException;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.core.probe.DestinationTests;
import io.piholecheckpoint.core.probe.TestOutcome;
import io.piholecheckpoint.core.recovery.AdoptionRunningException;
import io.piholecheckpoint.core.recovery.AdoptionService;
import io.piholecheckpoint.web.TimeFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Off-site copies as the pages show them: the destinations on Settings (with their last Test), the
 * destinations an instance's backups go to, and a badge per copy. A destination that copies plain
 * archives ({@code _ENCRYPT=false}) carries a warning wherever it is named.
 */
public final class OffsiteView {
  private final OffsiteCatalog offsite;
  private final CheckAgain checkAgain;
  private final DestinationTests tests;
  private final TimeFormat time;
  private final Supplier<List<PiholeInstance>> instances;
  private final AdoptionService adoption;
  /** The last Adopt of each destination from the page, in words: kept beside it until the next one. */
  private final Map<String, String> adoptions = new ConcurrentHashMap<>();
  /** The last Check again of each destination from the page, in words: kept beside it until the next one. */
  private final Map<String, String> checks = new ConcurrentHashMap<>();

  /** @param instances the instances now: a destination whose _INSTANCES names none of them says so */
  public OffsiteView(OffsiteCatalog offsite, CheckAgain checkAgain, DestinationTests tests, AdoptionService adoption, TimeFormat time,
                     Supplier<List<PiholeInstance>> instances) {
    this.instances = instances;
    this.adoption = adoption;
    this.offsite = offsite;
    this.checkAgain = checkAgain;
    this.tests = tests;
    this.time = time;
  }

  /**
   * One destination on the Settings page.
   *
   * @param kind S3, SFTP, WebDAV or directory; null when it is disabled before its kind was known
   * @param message the failure or why it is disabled; null when there is none
   * @param awaitingReadBack its copies adopted and not read back yet: not waiting for a copy, shown apart from those
   * @param lastTest the last Test's outcome in words, null before the first
   * @param managed added in Settings (it can be changed there), not by {@code OFFSITE_<NAME>_*} variables
   * @param lastAdoption what the last Adopt from this page found and took, null before the first
   * @param adoptionNotes what its last adoption (at a start, or asked for) skipped and why, and noted; kept across restarts
   * @param damaged its copies marked damaged and not verified since (0 for a disabled one): Check again is offered while there are any
   * @param lastCheck what the last Check again from this page found, null before the first
   */
  public record DestinationRow(String name, String kind, String where, boolean encrypted, String status, String message, long pending,
                               String oldestPending, long awaitingReadBack, String lastSuccess, String lastSuccessAge, boolean testable, String lastTest,
                               boolean lastTestOk, boolean managed, String lastAdoption, List<String> adoptionNotes,
                               int damaged, String lastCheck) {
  }

  /** A destination named on a page (an instance's, a backup's): {@code encrypted} false shows the warning. */
  public record Named(String name, boolean encrypted) {
  }

  /** One copy of one backup: its state as a badge, the error or times as its title. */
  public record Badge(String destination, String state, String title, boolean encrypted) {
  }

  /** One copy in a backup page's table. */
  public record CopyRow(String destination, boolean encrypted, String state, String copiedAt, String verifiedAt, String remoteKey, String error) {
  }

  /** A backup's copies, read once: its badges and its table. */
  public record OfBackup(List<Badge> badges, List<CopyRow> copies) {
  }

  List<DestinationRow> destinations() {
    Map<String, TestOutcome> outcomes = tests.lastOutcomes();
    List<PiholeInstance> known = instances.get();
    Map<String, List<String>> notes = new java.util.HashMap<>();
    adoption.notes().forEach((name, kept) -> notes.put(name, kept.stream()
        .map(n -> n.said() + " (" + time.absolute(n.at()) + ")").toList()));
    List<DestinationRow> rows = new ArrayList<>(offsite.status().stream().map(d -> row(d, outcomes.get(d.name()), time, offsite.target(d.name())
        .map(t -> t.namingNobody(known)).orElse(List.of()), !offsite.fromEnvironment(d.name()), adoptions.get(d.name()),
        notes.getOrDefault(d.name(), List.of()), d.status().equals("disabled") ? 0 : checkAgain.damaged(d.name()),
        checks.get(d.name()))).toList());
    // one added here under a name the environment took since: listed apart, to be deleted
    offsite.shadowed().forEach((name, why) -> rows.add(row(DestinationStatus.disabled(name, why), null, time, List.of(), true, null,
        List.of(), 0, null)));
    return rows;
  }

  /**
   * Adopts what the destination holds into the history now (as at a start, or the API's adopt); the
   * page shows what it found from {@link #destinations()}.
   *
   * @return the destination's name as the page lists it
   */
  String adopt(String name) {
    String key = name.toUpperCase(Locale.ROOT);
    Optional<String> disabled = offsite.disabledWhy(key);
    if (disabled.isPresent()) {
      adoptions.put(key, "Not adopted: the destination is disabled: " + disabled.get());
      return key;
    }
    String said;
    try {
      AdoptionService.Result r = adoption.adopt(key);
      said = "Found " + r.found() + ": " + r.adopted() + " adopted, " + r.known() + " already here, " + r.skippedTotal() + " skipped"
          + (r.skipped().isEmpty() ? "" : " (" + r.skipped().entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
              .collect(Collectors.joining(", ")) + ")")
          + (r.notes().isEmpty() ? "" : ". " + String.join(". ", r.notes()));
    } catch (IOException | AdoptionRunningException e) {
      said = "Not adopted: " + e.getMessage();
    }
    adoptions.put(key, said + " (" + time.absolute(time.now()) + ")");
    return key;
  }

  /**
   * Check again: reads back the copies at the destination marked damaged (as the API's check); the page shows what became of
   * them from {@link #destinations()}. A destination disabled, unreachable or already being checked is said in the row, as
   * the API's 409 and 503 say it, never as an error page; nothing changes then.
   *
   * @return the destination's name as the page lists it
   */
  String checkAgain(String name) {
    String key = name.toUpperCase(Locale.ROOT);
    String said;
    try {
      CheckAgain.Outcome outcome = checkAgain.check(key);
      int read = outcome.verifiedAgain().size() + outcome.stillDamaged().size();
      said = read == 0 ? "Checked again: " + outcome.message()
          : "Checked again " + (read == 1 ? "1 damaged copy" : read + " damaged copies") + ": " + outcome.message();
    } catch (DestinationDisabledException | CheckRunningException e) {
      said = "Not checked: " + e.getMessage();
    } catch (DestinationException e) {
      said = "Not checked: " + e.getMessage() + "; the damaged copies there keep their mark: check again once it answers";
    }
    checks.put(key, said + " (" + time.absolute(time.now()) + ")");
    return key;
  }

  /** Tests the destination now; the page shows the outcome from {@link #destinations()}. */
  String test(String name) {
    return tests.test(name).destination();
  }

  OfBackup of(long backupId) {
    List<Copy> copies = offsite.copiesOf(backupId);
    Set<String> unencrypted = unencrypted();
    Map<Long, String> held = offsite.held(copies);
    return new OfBackup(badges(copies, unencrypted, held, time), rows(copies, unencrypted, held, time));
  }

  /** Badges of each backup of a page of history, by backup id, read in one query. */
  Map<Long, List<Badge>> badges(List<Long> backupIds) {
    Map<Long, List<Copy>> copies = offsite.copiesOf(backupIds);
    Set<String> unencrypted = unencrypted();
    Map<Long, String> held = offsite.held(copies.values().stream().flatMap(List::stream).toList());
    return copies.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> badges(e.getValue(), unencrypted, held, time)));
  }

  /** Of these backups, those kept remote only: the destination each is fetched back from, by backup id. */
  Map<Long, String> remoteOnly(List<Backup> backups) {
    return offsite.remoteOnly(backups);
  }

  private static DestinationRow row(DestinationStatus d, TestOutcome test, TimeFormat time, List<String> namingNobody, boolean managed,
                                    String lastAdoption, List<String> adoptionNotes, int damaged, String lastCheck) {
    boolean disabled = d.status().equals("disabled");
    String nobody = namingNobody.isEmpty() ? null : "OFFSITE_" + d.name() + "_INSTANCES names " + String.join(", ", namingNobody)
        + ", which is no instance's prefix or name: nothing of it is copied here";
    return new DestinationRow(d.name(), kind(d.where()), d.where(), d.encrypted() || disabled, d.status(),
        d.status().equals("failing") || d.status().equals("failed") || disabled ? d.lastError() : nobody, d.pending(),
        d.oldestPendingAge() == null ? null : time.relative(time.now().minus(d.oldestPendingAge())), d.awaitingReadBack(),
        d.lastSuccessAt() == null ? null : time.absolute(d.lastSuccessAt()), d.lastSuccessAt() == null ? null : time.relative(d.lastSuccessAt()),
        !disabled, test == null ? null : said(test, time), test != null && test.ok(), managed, lastAdoption, adoptionNotes, damaged,
        lastCheck);
  }

  /** The outcome as the page and the script say it: when, how long, and what failed. */
  private static String said(TestOutcome test, TimeFormat time) {
    String took = String.format(Locale.ROOT, "%.2f s", test.took().toMillis() / 1000.0);
    return (test.ok() ? "OK: " + test.message() + " in " + took : "Failed after " + took + ": " + test.message()) + " (" + time.absolute(test.at()) + ")";
  }

  /** The kind by the scheme of where it writes, as the README names the kinds. */
  private static String kind(String where) {
    if (where == null || !where.contains("://")) {
      return null;
    }
    String scheme = where.substring(0, where.indexOf("://")).toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "file" -> "directory";
      case "s3" -> "S3";
      case "sftp" -> "SFTP";
      case "webdav+http", "webdav+https" -> "WebDAV";
      default -> scheme;
    };
  }

  /** The destinations that take this instance's backups. */
  List<Named> destinationsOf(PiholeInstance instance) {
    return offsite.targets().stream().filter(t -> t.takes(instance)).map(t -> new Named(t.name(), t.encrypt())).toList();
  }

  private Set<String> unencrypted() {
    return offsite.targets().stream().filter(t -> !t.encrypt()).map(OffsiteTarget::name).collect(Collectors.toUnmodifiableSet());
  }

  /** @param held why copies wait untried, by copy id ({@link OffsiteCatalog#held}): said instead of their times or last error */
  private static List<Badge> badges(List<Copy> copies, Set<String> unencrypted, Map<Long, String> held, TimeFormat time) {
    return copies.stream().map(c -> new Badge(c.destination(), OffsiteCatalog.shownState(c, held), held.getOrDefault(c.id(), title(c, time)),
        !unencrypted.contains(c.destination()))).toList();
  }

  private static List<CopyRow> rows(List<Copy> copies, Set<String> unencrypted, Map<Long, String> held, TimeFormat time) {
    return copies.stream().map(c -> new CopyRow(c.destination(), !unencrypted.contains(c.destination()), OffsiteCatalog.shownState(c, held),
        c.copiedAt() == null ? null : time.absolute(c.copiedAt()), c.verifiedAt() == null ? null : time.absolute(c.verifiedAt()), c.remoteKey(),
        held.getOrDefault(c.id(), c.state() == Copy.State.VERIFIED ? null : c.lastError()))).toList();
  }

  private static String title(Copy c, TimeFormat time) {
    return switch (c.state()) {
      case VERIFIED -> "verified at " + time.absolute(c.verifiedAt()) + ": " + c.remoteKey();
      case COPIED -> c.copiedAt() == null ? "found there by an adoption, not read back yet" : "uploaded at " + time.absolute(c.copiedAt())
          + ", not read back yet";
      case PENDING -> "waiting to be copied" + (c.nextAttemptAt() == null ? "" : ", next at " + time.absolute(c.nextAttemptAt()));
      case FAILED -> c.lastError() + (c.nextAttemptAt() == null ? "" : " (tried " + c.attempts() + "×, next at " + time.absolute(c.nextAttemptAt()) + ")");
    };
  }
}
