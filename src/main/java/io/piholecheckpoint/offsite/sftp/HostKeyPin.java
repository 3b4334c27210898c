package io.piholecheckpoint.offsite.sftp;

import io.piholecheckpoint.core.files.OwnedPaths;
import io.piholecheckpoint.core.files.SecretFiles;
import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.core.offsite.remote.DestinationException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * The one SSH host key this destination trusts: a {@code SHA256:…} fingerprint as {@code ssh-keygen -lf}
 * prints it, or the entries of a known_hosts file. Never "accept whatever the server shows": a
 * backup of password hashes sent to whoever answers on the address is the thing to prevent. A key
 * that does not match is remembered on the session so the error can show the fingerprint the server
 * did show (for the user to compare with the server's own {@code ssh-keygen -lf}).
 */
final class HostKeyPin implements ServerKeyVerifier {
  static final String HOST_KEY = "HOST_KEY";
  static final String KNOWN_HOSTS_FILE = "KNOWN_HOSTS_FILE";
  /** What {@code ssh-keygen -lf} prints for SHA-256: unpadded base64 of 32 bytes. */
  private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");
  /**
   * The key each session refused, until {@link #rejectedBy} takes it: not a session attribute,
   * because MINA clears those when it closes the session, which can come before the sign-in's failure is read.
   */
  private final Map<ClientSession, String> rejected = new ConcurrentHashMap<>();
  /** The sessions whose host the known_hosts file does not list at all, by the host forms looked for. */
  private final Map<ClientSession, String> unlisted = new ConcurrentHashMap<>();

  private final String fingerprint;
  private final Path knownHostsFile;
  private final String knownHostsSetting;
  private final ServerKeyVerifier knownHosts;
  private final String variable;

  private HostKeyPin(String fingerprint, Path knownHosts, String knownHostsSetting, String variable) {
    this.fingerprint = fingerprint;
    this.knownHostsFile = knownHosts;
    this.knownHostsSetting = knownHostsSetting;
    this.knownHosts = knownHosts == null ? null : new KnownHosts(knownHosts);
    this.variable = variable;
  }

  static HostKeyPin from(DestinationConfig config) {
    var pinned = config.option(HOST_KEY).map(String::strip);
    var file = config.option(KNOWN_HOSTS_FILE).map(String::strip);
    if (pinned.isPresent() && file.isPresent()) {
      throw new IllegalArgumentException("set only one of " + config.variable(HOST_KEY) + " and " + config.variable(KNOWN_HOSTS_FILE));
    }
    if (pinned.isPresent()) {
      if (!FINGERPRINT.matcher(pinned.get()).matches()) {
        throw new IllegalArgumentException(config.variable(HOST_KEY) + " must be a fingerprint such as SHA256:yNqE5… as `ssh-keygen -lf "
            + "/etc/ssh/ssh_host_ed25519_key.pub` prints it on the server (the second word of its line)");
      }
      return new HostKeyPin(pinned.get(), null, null, config.variable(HOST_KEY));
    }
    if (file.isPresent()) {
      Path path = Path.of(file.get());
      problemOf(path, config.variable(KNOWN_HOSTS_FILE)).ifPresent(problem -> {
        throw new IllegalArgumentException(problem);
      });
      return new HostKeyPin(null, path, config.variable(KNOWN_HOSTS_FILE), config.variable(KNOWN_HOSTS_FILE) + " (" + path + ")");
    }
    throw new IllegalArgumentException("the SFTP server's host key must be pinned: set " + config.variable(HOST_KEY)
        + " to the fingerprint `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` prints on the server, or "
        + config.variable(KNOWN_HOSTS_FILE) + " to a known_hosts file that lists it");
  }

  /**
   * Why the known_hosts file cannot be read as one, if it cannot: a FIFO (MINA SSHD would wait on it forever, in the thread
   * of the connection), a folder, a device, a file far too large, a missing or unreadable one.
   */
  private static Optional<String> problemOf(Path file, String variable) {
    String what = variable + "=" + file;
    try {
      SecretFiles.check(file, what, SecretFiles.CERTIFICATES, true);
    } catch (OwnedPaths.Unusable e) {
      return Optional.of(e.getMessage());
    } catch (IOException e) {
      return Optional.of(unreadable(file, variable));
    }
    return Files.isReadable(file) ? Optional.empty() : Optional.of(unreadable(file, variable));
  }

  private static String unreadable(Path file, String variable) {
    return variable + " names " + file + ", which is not a readable file";
  }

  /**
   * Checks the known_hosts file again right before a connection reads it (it may have been replaced since the start).
   *
   * @throws DestinationException (refused: a setting must change) when it cannot be read as one; nothing was sent
   */
  void requireReadableFile() throws DestinationException {
    if (knownHostsFile != null) {
      Optional<String> problem = problemOf(knownHostsFile, knownHostsSetting);
      if (problem.isPresent()) {
        throw new DestinationException(DestinationException.Problem.REFUSED, problem.get() + "; no connection was made, nothing was sent");
      }
    }
  }

  @Override
  public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
    String shown = fingerprintOf(key);
    boolean trusted = fingerprint != null ? fingerprint.equals(shown) : knownHosts.verifyServerKey(session, remote, key);
    String hosts = unlisted.remove(session);
    if (!trusted) {
      rejected.put(session, shown + " (" + KeyUtils.getKeyType(key) + "), " + (hosts == null ? "which is not the one set in " + variable
          : "and " + variable + " lists no key for " + hosts + " (for a port other than 22 ssh-keyscan -p writes [host]:port)"));
    }
    return trusted;
  }

  /** The host key this session refused and why, if it did, forgotten once asked. */
  String rejectedBy(ClientSession session) {
    return rejected.remove(session);
  }

  /**
   * OpenSSH's own known_hosts reading (MINA's), with one more host form: besides the host as the URL
   * names it, the address the connection reached, as {@code ssh-keyscan} of that address writes it.
   * Both name the server this session talks to, and the key must still be the one listed for it, so
   * trusting the address's entry trusts nothing the user has not pinned.
   */
  private final class KnownHosts extends KnownHostsServerKeyVerifier {
    KnownHosts(Path file) {
      super(RejectAllServerKeyVerifier.INSTANCE, file);
    }

    @Override
    protected Collection<SshdSocketAddress> resolveHostNetworkIdentities(ClientSession session, SocketAddress remote) {
      Set<SshdSocketAddress> hosts = new LinkedHashSet<>(super.resolveHostNetworkIdentities(session, remote));
      if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
        hosts.add(new SshdSocketAddress(SshdSocketAddress.toAddressString(inet.getAddress()), inet.getPort()));
      }
      return hosts;
    }

    @Override
    protected boolean acceptUnknownHostKey(ClientSession session, SocketAddress remote, PublicKey key) {
      unlisted.put(session, String.join(" or ", resolveHostNetworkIdentities(session, remote).stream().map(HostKeyPin::asKnownHost)
          .distinct().toList()));
      return false;
    }
  }

  /** A host as known_hosts writes it: bare on port 22, {@code [host]:port} elsewhere. */
  private static String asKnownHost(SshdSocketAddress host) {
    return host.getPort() == 22 ? host.getHostName() : "[" + host.getHostName() + "]:" + host.getPort();
  }

  static String fingerprintOf(PublicKey key) {
    return KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
  }
}
