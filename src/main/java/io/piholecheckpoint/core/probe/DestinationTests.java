package io.piholecheckpoint.core.probe;

import io.piholecheckpoint.core.destination.DestinationForm;
import io.piholecheckpoint.core.destination.DestinationService;
import io.piholecheckpoint.core.offsite.remote.DestinationDisabledException;
import io.piholecheckpoint.core.offsite.remote.DestinationNotFoundException;
import io.piholecheckpoint.core.offsite.catalog.OffsiteCatalog;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Test of an off-site destination, asked for on the Settings page or the API: a probe written,
 * read back and deleted there now ({@link DestinationProbe}). The last outcome of each destination
 * is kept in memory, so the page shows it beside the destination, also after a form's redirect.
 */
public final class DestinationTests {
  private final OffsiteCatalog offsite;
  private final DestinationService destinations;
  private final DestinationProbe probe;
  private final Map<String, TestOutcome> last = new ConcurrentHashMap<>();

  public DestinationTests(OffsiteCatalog offsite, Clock clock) {
    this(offsite, null, clock);
  }

  /** @param destinations those added in Settings, whose settings can be tested before they are saved */
  public DestinationTests(OffsiteCatalog offsite, DestinationService destinations, Clock clock) {
    this.offsite = offsite;
    this.destinations = destinations;
    this.probe = new DestinationProbe(clock);
  }

  /**
   * Tests settings before they are saved (a destination being added or changed in Settings): the
   * destination is opened by the same rules as when it is saved, probed, and closed; nothing is kept.
   *
   * @throws io.piholecheckpoint.core.destination.DestinationRefusedException when the rules refuse the settings
   */
  public TestOutcome testUnsaved(DestinationForm form) {
    OffsiteTarget target = destinations.open(form);
    try {
      return probe.run(target);
    } finally {
      target.destination().close();
    }
  }

  /**
   * Tests the destination named (in any case) now.
   *
   * @throws DestinationNotFoundException when no destination has that name
   * @throws DestinationDisabledException when it was disabled at start
   */
  public TestOutcome test(String name) {
    String key = name.toUpperCase(Locale.ROOT);
    var disabled = offsite.disabledWhy(key);
    if (disabled.isPresent()) {
      throw new DestinationDisabledException(key, disabled.get());
    }
    OffsiteTarget target = offsite.target(key).orElseThrow(() -> new DestinationNotFoundException(name,
        offsite.targets().stream().map(OffsiteTarget::name).toList()));
    TestOutcome outcome = probe.run(target);
    last.put(key, outcome);
    return outcome;
  }

  /** The last Test of each destination since the start, by name. */
  public Map<String, TestOutcome> lastOutcomes() {
    return Map.copyOf(last);
  }
}
