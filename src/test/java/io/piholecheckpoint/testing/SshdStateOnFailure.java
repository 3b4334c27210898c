package io.piholecheckpoint.testing;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints {@link OpenSshServer#state()} when a case fails, while its sshd still runs: the test's temporary folder, log and all,
 * is gone once the class ends. SftpDestinationIT failed about one run in four in quiet CIs (a connection to its sshd got no
 * answer in 60 s) and never in 7 instrumented runs at load ~25 (bench/RESULTS.md, r43-sftp): the next failure brings its
 * sockets, processes and log with it.
 */
public final class SshdStateOnFailure implements TestWatcher {
  private final Supplier<OpenSshServer> server;

  public SshdStateOnFailure(Supplier<OpenSshServer> server) {
    this.server = server;
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    OpenSshServer s = server.get();
    if (s != null) {
      System.out.println(context.getDisplayName() + " failed; " + s.state());
    }
  }
}
