package io.piholecheckpoint.core.offsite.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.Origin;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.schedule.Schedule;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which Pi-holes an OFFSITE_<D>_INSTANCES entry names. */
class OffsiteTargetTest {
  private static final PiholeInstance HOME = instance(1, "Home", Origin.ENV, "HOME");
  /** Added in the UI under the name the environment's PIHOLE_UI2_* would have taken: that one gave way. */
  private static final PiholeInstance UI2_FROM_THE_UI = instance(2, "ui2", Origin.UI, null);
  private static final PiholeInstance KITCHEN = instance(3, "Kitchen", Origin.UI, null);

  private static PiholeInstance instance(long id, String name, Origin origin, String prefix) {
    return new PiholeInstance(id, name, name.toLowerCase(), origin, prefix, "http://pi.hole", TlsTrust.SYSTEM, null,
        new Schedule(Schedule.Kind.DAILY, LocalTime.of(3, 0), DayOfWeek.SUNDAY, null), RetentionPolicy.DEFAULT, false, true, false, false,
        PiholeInstance.Status.UNKNOWN);
  }

  private static OffsiteTarget target(List<String> instances, Set<String> environmentPrefixes) {
    return new OffsiteTarget("NAS", null, instances, OffsiteTarget.RemoteRetention.INSTANCES_OWN, true, environmentPrefixes);
  }

  /** As a sync group's member (outsider round 44): the prefix of a PIHOLE_<P>_URL never falls through to a name. */
  @Test
  void anEntryThatIsAnEnvironmentPrefixTakesThatPiholeAloneNeverAnotherOfThatName() {
    OffsiteTarget nas = target(List.of("HOME", "UI2"), Set.of("HOME", "UI2"));

    assertThat(nas.takes(HOME)).isTrue();
    assertThat(nas.takes(UI2_FROM_THE_UI)).as("PIHOLE_UI2_* gave way to it: it is not the Pi-hole the entry means").isFalse();
    assertThat(nas.namingNobody(List.of(HOME, UI2_FROM_THE_UI, KITCHEN))).as("so the start says the entry names nobody").containsExactly("UI2");
  }

  @Test
  void anEntryThatIsNoEnvironmentPrefixStillTakesAPiholeByName() {
    OffsiteTarget nas = target(List.of("kitchen", "ui2"), Set.of("HOME"));

    assertThat(nas.takes(KITCHEN)).isTrue();
    assertThat(nas.takes(UI2_FROM_THE_UI)).isTrue();
    assertThat(nas.takes(HOME)).isFalse();
  }
}
