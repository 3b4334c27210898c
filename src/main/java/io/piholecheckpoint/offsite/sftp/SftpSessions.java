package io.piholecheckpoint.offsite.sftp;

import io.piholecheckpoint.core.offsite.remote.DestinationException;
import io.piholecheckpoint.core.offsite.remote.DestinationException.Problem;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.helpers.MissingAttachedSessionException;
import org.apache.sshd.common.session.helpers.TimeoutIndicator.TimeoutStatus;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.SftpModuleProperties;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;

/**
 * Opens one SSH session with its SFTP channel per call (or per streamed read), and says in the
 * core's words why one could not be opened. The SSH client itself is started on first use and
 * kept until {@link #close()}: it owns the I/O threads, which are not worth starting per call.
 */
final class SftpSessions implements AutoCloseable {
  private final String user;
  private final String host;
  private final int port;
  private final String password;
  private final List<KeyPair> keys;
  private final HostKeyPin pin;
  private final Duration timeout;
  private SshClient client;

  SftpSessions(String user, String host, int port, String password, List<KeyPair> keys, HostKeyPin pin, Duration timeout) {
    this.user = user;
    this.host = host;
    this.port = port;
    this.password = password;
    this.keys = List.copyOf(keys);
    this.pin = pin;
    this.timeout = timeout;
  }

  /** An SFTP session on a connection of its own; closing it closes the connection. */
  record Session(ClientSession ssh, SftpClient sftp) implements AutoCloseable {
    @Override
    public void close() {
      try {
        sftp.close();
      } catch (IOException e) {
        // the session below is closed next either way
      }
      ssh.close(false);
    }
  }

  Session open() throws DestinationException {
    pin.requireReadableFile(); // MINA reads it in the connection's thread, where a FIFO would block it forever
    ClientSession session;
    try {
      session = client().connect(user, host, port).verify(timeout).getSession();
    } catch (IOException | RuntimeException e) {
      throw unreachable(e);
    }
    try {
      if (password != null) {
        session.addPasswordIdentity(password);
      }
      keys.forEach(session::addPublicKeyIdentity);
      session.auth().verify(timeout);
    } catch (IOException | RuntimeException e) {
      String rejected = pin.rejectedBy(session);
      session.close(true);
      if (rejected != null) {
        throw new DestinationException(Problem.HOST_KEY_MISMATCH, "the SSH server at " + where() + " showed the host key " + rejected
            + "; nothing was sent. Compare it with `ssh-keygen -lf` of the server's host keys: "
            + "if the server's key really changed, set the new one there, otherwise someone may be in the middle", e);
      }
      if (timedOut(session, e)) {
        throw timeout("signing in", e);
      }
      if (session.getServerVersion() == null) {
        // no SSH greeting came before the close: nothing about the user or key was asked, so a sign-in refusal would mislead
        throw closedBeforeSsh(e);
      }
      if (!session.isOpen() && !session.isAuthenticated() && lost(e)) {
        throw unreachable(e);
      }
      throw new DestinationException(Problem.REFUSED, "the SSH server at " + where() + " refused to sign in " + user
          + ": check the user, the password or private key set for this destination and the server's authorized_keys", e);
    }
    try {
      return new Session(session, SftpClientFactory.instance().createSftpClient(session));
    } catch (IOException | RuntimeException e) {
      session.close(true);
      throw translate(session, "starting SFTP", e);
    }
  }

  /** The core's reading of a failure on an open session. */
  DestinationException translate(ClientSession session, String what, Exception e) {
    if (e instanceof DestinationException d) {
      return d;
    }
    if (timedOut(session, e)) {
      return timeout(what, e);
    }
    if (!session.isOpen() || lost(e)) {
      return new DestinationException(Problem.UNREACHABLE, what + " on " + where() + " failed: the connection was lost (" + rootMessage(e)
          + "); it will be tried again", e);
    }
    return new DestinationException(Problem.FAILED, what + " on " + where() + " failed: " + e.getMessage(), e);
  }

  String where() {
    return host + ":" + port;
  }

  private DestinationException timeout(String what, Exception e) {
    return new DestinationException(Problem.TIMEOUT, what + " on " + where() + " got no answer within " + timeout.toSeconds()
        + " s; it will be tried again (a slow or stalled server, or a firewall dropping packets)", e);
  }

  /** Package-visible so the classification can be checked with the exceptions the library throws in its races. */
  DestinationException unreachable(Exception e) {
    if (causedBy(e, MissingAttachedSessionException.class)) {
      // MINA's I/O thread saw the peer close before it attached the SSH session to the socket: the same close-before-greeting
      // as getServerVersion() == null, only lost in a race (about 1 in 17 connects); its message names library internals
      return closedBeforeSsh(e);
    }
    if (causedBy(e, TimeoutException.class) || causedBy(e, SocketTimeoutException.class) || mentionsTimeout(e)) {
      return timeout("connecting", e);
    }
    return new DestinationException(Problem.UNREACHABLE, "no SSH server answered at " + where() + " (" + rootMessage(e)
        + "): is it up and the address and port right? It will be tried again", e);
  }

  /** A listener that took the connection and closed it without the SSH greeting: not an SSH server, or one that is misconfigured or full. */
  private DestinationException closedBeforeSsh(Exception e) {
    return new DestinationException(Problem.UNREACHABLE, "the server at " + where() + " accepted the connection and closed it before any SSH"
        + " negotiation (it sent no SSH greeting; the user and key were not tried): is an SSH server listening on that port, and is it"
        + " sound (sshd's log says why it closed, e.g. a broken host key or MaxStartups reached)? It will be tried again", e);
  }

  private static boolean timedOut(ClientSession session, Exception e) {
    return session.getTimeoutStatus().getStatus() != TimeoutStatus.NoTimeout || causedBy(e, TimeoutException.class)
        || causedBy(e, SocketTimeoutException.class) || mentionsTimeout(e);
  }

  private static boolean mentionsTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && message.toLowerCase(java.util.Locale.ROOT).contains("timeout")) {
        return true;
      }
    }
    return false;
  }

  private static boolean lost(Exception e) {
    return causedBy(e, ConnectException.class) || causedBy(e, NoRouteToHostException.class) || causedBy(e, UnknownHostException.class)
        || causedBy(e, UnresolvedAddressException.class) || causedBy(e, java.io.EOFException.class)
        || String.valueOf(e.getMessage()).contains("closed") || causeSays(e, "Connection reset") || causeSays(e, "Broken pipe");
  }

  /** A reset or broken pipe reaches MINA's write futures as a plain IOException, while the session may still look open. */
  private static boolean causeSays(Throwable e, String words) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (String.valueOf(t.getMessage()).contains(words)) {
        return true;
      }
    }
    return false;
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    // MINA's session objects print as Nio2Session[local=…, remote=…]: internals that tell the user nothing, so they are left out
    return message.contains("Nio2Session") || message.contains("IoSession") ? "the connection closed" : message;
  }

  private synchronized SshClient client() {
    if (client == null) {
      SshClient c = SshClient.setUpDefaultClient();
      // nothing from the app user's ~/.ssh: not its config, not its keys, not its known_hosts
      c.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
      c.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
      c.setServerKeyVerifier(pin);
      c.setSignatureFactories(ed25519First(c.getSignatureFactories()));
      // a stalled server shows as silence: the idle timeout also bounds each SFTP request's wait
      CoreModuleProperties.IDLE_TIMEOUT.set(c, timeout);
      CoreModuleProperties.AUTH_TIMEOUT.set(c, timeout);
      SftpModuleProperties.SFTP_CHANNEL_OPEN_TIMEOUT.set(c, timeout);
      c.start();
      client = c;
    }
    return client;
  }

  /**
   * Asks for the server's Ed25519 host key first, as OpenSSH's own client does: it is the key whose
   * fingerprint users read off the server, so the one they pin is the one we are shown.
   */
  private static List<NamedFactory<Signature>> ed25519First(List<NamedFactory<Signature>> factories) {
    List<NamedFactory<Signature>> ordered = new ArrayList<>(factories);
    ordered.sort(Comparator.comparing(f -> !f.getName().equals("ssh-ed25519")));
    return ordered;
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.stop();
      client = null;
    }
  }
}
