package io.piholecheckpoint.core.download;

import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import java.time.Clock;
import java.util.function.BooleanSupplier;

/**
 * The status a failed contact with a Pi-hole leaves on its instance, written the one way for a Test, a restore's and a sync's logins
 * and a restore's check: what failed ({@code auth_error}, {@code unreachable}, …) in the failure's words, until a backup or a Test
 * succeeds. The version and seats seen last stay. A contact cut off by Checkpoint's own stop says nothing about the Pi-hole and
 * leaves it.
 */
public final class ContactFailures {
  private final InstanceService instances;
  private final Clock clock;
  private final BooleanSupplier stopping;

  /** For contacts that Checkpoint's stop cuts off as {@code CANCELLED} only. */
  public ContactFailures(InstanceService instances, Clock clock) {
    this(instances, clock, () -> false);
  }

  /** @param stopping whether Checkpoint is stopping: a contact that fails meanwhile (a login interrupted, say) may fail for that alone */
  public ContactFailures(InstanceService instances, Clock clock, BooleanSupplier stopping) {
    this.instances = instances;
    this.clock = clock;
    this.stopping = stopping;
  }

  public void record(PiholeInstance instance, PiholeException e) {
    if (e.failure() == PiholeException.Failure.CANCELLED || stopping.getAsBoolean()) {
      return;
    }
    instances.recordStatus(instance.id(), new PiholeInstance.Status(e.failure().status(), e.getMessage(), clock.instant(),
        instance.status().piholeVersion(), instance.status().seatsInUse()));
  }
}
