package io.piholecheckpoint.offsite.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.offsite.remote.DestinationException;
import io.piholecheckpoint.core.offsite.remote.DestinationException.Problem;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.apache.sshd.common.session.helpers.MissingAttachedSessionException;
import org.junit.jupiter.api.Test;

/** How a failed connect is worded, for the exceptions MINA SSHD throws in its races (too rare to hit reliably over a socket). */
class SftpSessionsTest {
  private final SftpSessions sessions = new SftpSessions("backup", "127.0.0.1", 28022, "pw", List.of(), null, Duration.ofSeconds(10));

  @Test
  void aSessionNotYetAttachedWhenThePeerClosedIsTheCloseBeforeSsh() {
    // what MINA 2.x throws when the peer's close wins the race against attaching the session
    var race = new MissingAttachedSessionException(
        "No session attached to Nio2Session[local=/127.0.0.1:41234, remote=/127.0.0.1:28022]");
    DestinationException e = sessions.unreachable(new IOException("connect failed", race));
    assertThat(e.problem()).isEqualTo(Problem.UNREACHABLE);
    assertThat(e.getMessage()).contains("127.0.0.1:28022").contains("closed it before any SSH negotiation")
        .doesNotContain("Nio2Session").doesNotContain("no SSH server answered");
  }

  @Test
  void aRefusedConnectionStillSaysNoServerAnswered() {
    DestinationException e = sessions.unreachable(new IOException("connect", new java.net.ConnectException("Connection refused")));
    assertThat(e.problem()).isEqualTo(Problem.UNREACHABLE);
    assertThat(e.getMessage()).contains("no SSH server answered at 127.0.0.1:28022 (Connection refused)");
  }

  @Test
  void libraryObjectsNeverReachTheMessage() {
    DestinationException e = sessions.unreachable(new IllegalStateException("Nio2Session[local=/127.0.0.1:1, remote=/127.0.0.1:2] gone"));
    assertThat(e.getMessage()).doesNotContain("Nio2Session").doesNotContain("local=");
  }
}
