package io.piholecheckpoint.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.instance.Origin;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.core.sync.runs.SyncRun;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.SameThread;
import io.piholecheckpoint.testing.TestTimes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncNoticesTest {
  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-03T03:00:00Z"));
  private final List<Notification> sent = new ArrayList<>();
  private final Provider recording = new Provider() {
    @Override
    public String name() {
      return "recording";
    }

    @Override
    public Outbound.Result deliver(Notification n) {
      sent.add(n);
      return new Outbound.Result(true, 200, null, 1);
    }
  };
  private final Notifier notifier = new Notifier(new Deliveries(List.of(recording), EnumSet.allOf(NotifyEvent.class), new SameThread(), (p, ok) -> { }, clock), Duration.ofHours(6), clock, TestTimes.UTC);
  private final SyncNotices notices = new SyncNotices(notifier, clock);
  private final PiholeInstance one = replica(2, "One");

  private static PiholeInstance replica(long id, String name) {
    return new PiholeInstance(id, name, name.toLowerCase(), Origin.ENV, name.toUpperCase(), "http://" + name + ".lan", TlsTrust.SYSTEM, null,
        Schedule.DEFAULT, RetentionPolicy.DEFAULT, false, true, false, false, PiholeInstance.Status.UNKNOWN);
  }

  private SyncRun run(PiholeInstance replica, SyncRun.Outcome outcome, String code, String message, List<String> refused) {
    return new SyncRun(1, "home", 1, replica.id(), 5L, outcome, code, message, null, refused, null, clock.instant(), clock.instant());
  }

  private List<String> told() {
    return sent.stream().map(n -> n.event().code() + ": " + n.title()).toList();
  }

  @Test
  void aFailingReplicaIsToldOnceThenAfterTheCooldownThenWhenItSyncsAgain() {
    notices.finished(run(one, SyncRun.Outcome.FAILED, "forbidden", "the app password lacks webserver.api.app_sudo", List.of()), one);
    notices.finished(run(one, SyncRun.Outcome.FAILED, "forbidden", "the app password lacks webserver.api.app_sudo", List.of()), one);
    clock.advance(Duration.ofHours(7));
    notices.finished(run(one, SyncRun.Outcome.FAILED, "forbidden", "the app password lacks webserver.api.app_sudo", List.of()), one);
    notices.finished(run(one, SyncRun.Outcome.IN_SYNC, null, "in sync: nothing differed, nothing was sent", List.of()), one);
    notices.finished(run(one, SyncRun.Outcome.IN_SYNC, null, "in sync: nothing differed, nothing was sent", List.of()), one);

    assertThat(told()).containsExactly("sync_failed: Sync of 'One' (sync group home) failed", "sync_failed: Still: Sync of 'One' (sync group home) failed",
        "recovered: Sync of 'One' (sync group home) works again");
    assertThat(sent.get(0).instance()).isEqualTo("One");
    assertThat(sent.get(0).message()).isEqualTo("the app password lacks webserver.api.app_sudo [forbidden]");
    assertThat(sent.get(0).event().severity()).isEqualTo("error");
  }

  @Test
  void refusedKeysAreAWarningOfTheirOwnThatClearsWhenNoKeyIsRefused() {
    notices.finished(run(one, SyncRun.Outcome.PARTIAL, null, "synced but for 1 setting(s) the replica refused (dns.upstreams: forced)",
        List.of("dns.upstreams: forced")), one);
    notices.finished(run(one, SyncRun.Outcome.SYNCED, null, "synced and verified", List.of()), one);

    assertThat(told()).containsExactly("sync_partial: Sync of 'One' (sync group home) is partial",
        "recovered: Sync of 'One' (sync group home) is complete again");
    assertThat(sent.get(0).event().severity()).isEqualTo("warning");
  }

  @Test
  void eachReplicaIsAProblemOfItsOwn() {
    PiholeInstance two = replica(3, "Two");

    notices.finished(run(one, SyncRun.Outcome.FAILED, "unreachable", "no answer", List.of()), one);
    notices.finished(run(two, SyncRun.Outcome.FAILED, "unreachable", "no answer", List.of()), two);

    assertThat(told()).containsExactly("sync_failed: Sync of 'One' (sync group home) failed", "sync_failed: Sync of 'Two' (sync group home) failed");
  }

  @Test
  void aReplicaThatWasNeverToldOfIsNotRecovered() {
    notices.finished(run(one, SyncRun.Outcome.SYNCED, null, "synced and verified", List.of()), one);

    assertThat(sent).isEmpty();
  }
}
