package io.piholecheckpoint.pihole;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.backup.PiholeException;
import io.piholecheckpoint.core.backup.PiholeException.Failure;
import io.piholecheckpoint.core.backup.PiholeSession;
import io.piholecheckpoint.core.backup.PiholeTarget;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PiholeClientTest {
  private final PiholeClient client = new PiholeClient("test", Duration.ofSeconds(2), Duration.ofSeconds(5));

  private static byte[] exportOf(PiholeSession session) {
    return session.<byte[]>exportTeleporter(java.io.InputStream::readAllBytes);
  }

  private static PiholeTarget target(FakePihole pihole, String password) {
    return new PiholeTarget("Home", pihole.url(), true, Optional.ofNullable(password));
  }

  @Nested
  class Export {
    @Test
    void streamsTheArchiveAndLogsOut() throws Exception {
      try (FakePihole pihole = FakePihole.start("labpass")) {
        byte[] received;
        String version;
        try (PiholeSession session = client.open(target(pihole, "labpass"))) {
          version = session.version();
          received = exportOf(session);
          assertThat(pihole.activeSessions()).isEqualTo(1);
        }

        assertThat(received).isEqualTo(Fixtures.archiveA());
        assertThat(version).isEqualTo("v6.4.1");
        assertThat(pihole.activeSessions()).isZero();
        assertThat(pihole.requests()).containsExactly("POST /api/auth", "GET /api/info/version", "GET /api/teleporter", "DELETE /api/auth");
      }
    }

    @Test
    void keepsThePathPrefixOfTheBaseUrl() throws Exception {
      try (FakePihole pihole = FakePihole.start("/pihole", "labpass", Fixtures.archiveA());
           PiholeSession session = client.open(new PiholeTarget("Home", pihole.url() + "/", true, Optional.of("labpass")))) {

        assertThat(exportOf(session)).isEqualTo(Fixtures.archiveA());
        assertThat(pihole.requests()).contains("POST /pihole/api/auth", "GET /pihole/api/teleporter");
      }
    }

    @Test
    void sendsItsOwnUserAgent() throws Exception {
      try (FakePihole pihole = FakePihole.start("labpass"); PiholeSession ignored = client.open(target(pihole, "labpass"))) {
        assertThat(pihole.userAgents()).containsExactly("pihole-checkpoint/test");
      }
    }

    @Test
    void worksWithAPiholeThatHasNoPasswordAndNeverLogsOut() throws Exception {
      try (FakePihole pihole = FakePihole.start(null)) {
        try (PiholeSession session = client.open(target(pihole, null))) {
          assertThat(exportOf(session)).isEqualTo(Fixtures.archiveA());
        }

        assertThat(pihole.requests()).doesNotContain("DELETE /api/auth");
      }
    }

    @Test
    void logsOutEvenWhenTheExportFails() throws Exception {
      try (FakePihole pihole = FakePihole.start("labpass")) {
        pihole.exportAnswer(FakePihole.ExportAnswer.SERVER_ERROR);

        try (PiholeSession session = client.open(target(pihole, "labpass"))) {
          assertThatThrownBy(() -> exportOf(session))
              .isInstanceOfSatisfying(PiholeException.class, e -> assertThat(e.failure()).isEqualTo(Failure.SERVER_ERROR))
              .hasMessageContaining("HTTP 500");
        }

        assertThat(pihole.activeSessions()).isZero();
      }
    }
  }

  @Nested
  class LoginFailures {
    @Test
    void reportsAWrongPasswordWithoutHoldingASeat() throws Exception {
      try (FakePihole pihole = FakePihole.start("labpass")) {
        assertThatThrownBy(() -> client.open(target(pihole, "nope")))
            .isInstanceOfSatisfying(PiholeException.class, e -> assertThat(e.failure()).isEqualTo(Failure.WRONG_PASSWORD))
            .hasMessageContaining("wrong password for Pi-hole 'Home'")
            .hasMessageNotContaining("nope");
        assertThat(pihole.activeSessions()).isZero();
      }
    }

    @Test
    void saysAPasswordIsNeededWhenNoneIsConfigured() throws Exception {
      try (FakePihole pihole = FakePihole.start("labpass")) {
        assertThatThrownBy(() -> client.open(target(pihole, null)))
            .isInstanceOfSatisfying(PiholeException.class, e -> assertThat(e.failure()).isEqualTo(Failure.WRONG_PASSWORD))
            .hasMessageContaining("requires a password");
      }
    }

    @Test
    void explainsFullSeatsInTheUsersTerms() throws Exception {
      try (FakePihole pihole = FakePihole.start("labpass")) {
        pihole.fillSeats();

        assertThatThrownBy(() -> client.open(target(pihole, "labpass")))
            .isInstanceOfSatisfying(PiholeException.class, e -> assertThat(e.failure()).isEqualTo(Failure.NO_FREE_SEATS))
            .hasMessageContaining("no free API sessions: log out other clients or raise webserver.api.max_sessions");
      }
    }

    @Test
    void reportsARefusedConnectionAsUnreachable() throws Exception {
      int closedPort;
      try (ServerSocket socket = new ServerSocket(0)) {
        closedPort = socket.getLocalPort();
      }
      PiholeTarget target = new PiholeTarget("Home", "http://127.0.0.1:" + closedPort, true, Optional.of("x"));

      assertThatThrownBy(() -> client.open(target))
          .isInstanceOfSatisfying(PiholeException.class, e -> assertThat(e.failure()).isEqualTo(Failure.UNREACHABLE))
          .hasMessageContaining("is unreachable: connection refused");
    }

    @Test
    void rejectsAUrlThatIsNotHttp() {
      PiholeTarget target = new PiholeTarget("Home", "ftp://pi.hole", true, Optional.of("x"));

      assertThatThrownBy(() -> client.open(target))
          .isInstanceOfSatisfying(PiholeException.class, e -> assertThat(e.failure()).isEqualTo(Failure.MISCONFIGURED));
    }
  }
}
