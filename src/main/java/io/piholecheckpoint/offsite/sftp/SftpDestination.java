package io.piholecheckpoint.offsite.sftp;

import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.core.offsite.remote.DestinationException;
import io.piholecheckpoint.core.offsite.remote.DestinationException.Problem;
import io.piholecheckpoint.core.offsite.remote.ObjectKeys;
import io.piholecheckpoint.core.offsite.remote.RemoteObject;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.client.SftpClient.DirEntry;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHStatPathExtension;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sftp://user@host:port/path}: a NAS or any SSH server. The path is absolute on the server;
 * {@code /~/path} is below the user's home (as curl reads such URLs). The folder the path names must
 * exist (it is never made here: on a NAS it may be a share that is not mounted); the folders below it
 * are made as needed. Written under a temporary name and renamed over the key, so a cut upload never
 * shows under the key; checked by reading the file back, since SFTP has no checksum every server offers.
 */
public final class SftpDestination implements Destination {
  private static final Logger log = LoggerFactory.getLogger(SftpDestination.class);
  /** Marks files being written; never listed, never counted as an object. */
  static final String PART = ".part-";
  private static final int BUFFER_BYTES = 32 * 1024;
  private final String root;
  private final String describe;
  private final String urlSetting;
  private final SftpSessions sessions;
  /** Whether the path starts at the user's home ({@code /~/}), which only the server knows. */
  private final boolean fromHome;
  private final HomeFolder homeFolder;
  private volatile String home;

  public SftpDestination(DestinationConfig config) {
    this(config, HomeFolder.IGNORED);
  }

  /** @param homeFolder told where the home of a {@code /~/} path is, at every connection (the server asked once) */
  public SftpDestination(DestinationConfig config, HomeFolder homeFolder) {
    URI url = config.url();
    if (!"sftp".equals(url.getScheme()) || url.getHost() == null || url.getUserInfo() == null || url.getUserInfo().contains(":")) {
      throw new IllegalArgumentException(config.variable("URL") + " must look like sftp://user@host:22/path (no password in it: set "
          + config.variable("PASSWORD") + " or " + config.variable("PRIVATE_KEY_FILE") + ")");
    }
    config.requireNoQuery("PASSWORD", "PRIVATE_KEY_FILE", "PRIVATE_KEY_PASSPHRASE", "HOST_KEY", "KNOWN_HOSTS_FILE");
    int port = url.getPort() == -1 ? 22 : url.getPort();
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException(config.variable("URL") + " has the port " + port + ": an SSH server's port is 1-65535 (22 if left out)");
    }
    this.root = rootOf(url.getPath());
    this.fromHome = url.getPath() == null || url.getPath().isEmpty() || url.getPath().equals("/~") || url.getPath().startsWith("/~/");
    this.homeFolder = homeFolder;
    this.describe = "sftp://" + url.getUserInfo() + "@" + url.getHost() + ":" + port + url.getPath();
    this.urlSetting = config.variable("URL");
    HostKeyPin pin = HostKeyPin.from(config);
    SignIn signIn = SignIn.from(config);
    this.sessions = new SftpSessions(url.getUserInfo(), url.getHost(), port, signIn.password(), signIn.keys(), pin, config.timeout());
  }

  /** "" is the user's home (the server's starting directory); otherwise a path ending in "/". */
  private static String rootOf(String path) {
    if (path == null || path.isEmpty() || path.equals("/~") || path.equals("/~/")) {
      return "";
    }
    String p = path.startsWith("/~/") ? path.substring(3) : path;
    return p.endsWith("/") ? p : p + "/";
  }

  @Override
  public void put(String key, InputStream in, long length) throws IOException {
    String target = resolve(key);
    try (SftpSessions.Session s = open()) {
      SftpClient sftp = s.sftp();
      String part = target + PART + UUID.randomUUID();
      try {
        requireRoot(sftp);
        createFolders(sftp, key);
        removeLeftoverParts(sftp, target);
        long written = 0;
        try (OutputStream out = sftp.write(part, BUFFER_BYTES, OpenMode.Write, OpenMode.Create, OpenMode.Exclusive)) {
          ownerOnly(sftp, part, 0600); // made empty, before a byte of it is written; the rename keeps it
          byte[] buffer = new byte[BUFFER_BYTES];
          for (int n; (n = in.read(buffer)) != -1; ) {
            out.write(buffer, 0, n);
            written += n;
          }
        }
        if (written != length) {
          throw new DestinationException(Problem.FAILED, "the copy of " + key + " ended after " + written + " of " + length
              + " bytes; it will be sent again");
        }
        replace(sftp, part, target);
      } catch (IOException | RuntimeException e) {
        DestinationException failed = translate(s, sftp, "writing " + key, target, e); // while the part still fills a full disk
        removeQuietly(sftp, part);
        throw failed;
      }
    }
  }

  @Override
  public Optional<RemoteObject> check(String key) throws IOException {
    String path = resolve(key);
    try (SftpSessions.Session s = open()) {
      try {
        Attributes stat = s.sftp().stat(path);
        MessageDigest sha256 = sha256();
        long size = 0;
        try (InputStream in = s.sftp().read(path, BUFFER_BYTES)) {
          byte[] buffer = new byte[BUFFER_BYTES];
          for (int n; (n = in.read(buffer)) != -1; ) {
            sha256.update(buffer, 0, n);
            size += n;
          }
        }
        return Optional.of(new RemoteObject(key, size, HexFormat.of().formatHex(sha256.digest()), modified(stat)));
      } catch (SftpException e) {
        if (missing(e)) {
          requireRoot(s, "reading " + key + " back");
          return Optional.empty();
        }
        throw translate(s, s.sftp(), "reading " + key + " back", path, e);
      } catch (IOException | RuntimeException e) {
        throw translate(s, s.sftp(), "reading " + key + " back", path, e);
      }
    }
  }

  @Override
  public InputStream open(String key) throws IOException {
    String path = resolve(key);
    SftpSessions.Session s = open();
    try {
      InputStream in = s.sftp().read(path, BUFFER_BYTES);
      return new FilterInputStream(in) {
        @Override
        public int read() throws IOException {
          try {
            return super.read();
          } catch (IOException | RuntimeException e) {
            throw translate(s, s.sftp(), "reading " + key, path, e);
          }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          try {
            return super.read(b, off, len);
          } catch (IOException | RuntimeException e) {
            throw translate(s, s.sftp(), "reading " + key, path, e);
          }
        }

        @Override
        public void close() throws IOException {
          try {
            super.close();
          } finally {
            s.close();
          }
        }
      };
    } catch (IOException | RuntimeException e) {
      try {
        if (missing(e)) {
          requireRoot(s, "reading " + key);
        }
        throw translate(s, s.sftp(), "reading " + key, path, e);
      } finally {
        s.close();
      }
    }
  }

  @Override
  public List<RemoteObject> list(String prefix) throws IOException {
    // walk only below the prefix's folder: a prefix is an instance's folder, the rest may be large
    int slash = prefix.lastIndexOf('/');
    String folder = slash < 0 ? "" : ObjectKeys.requireSafe(prefix.substring(0, slash)) + "/";
    List<RemoteObject> found = new ArrayList<>();
    try (SftpSessions.Session s = open()) {
      try {
        walk(s.sftp(), folder, prefix, found);
      } catch (IOException | RuntimeException e) { // a folder's listing fails as an unchecked one
        if (!missing(e)) {
          throw translate(s, s.sftp(), "listing " + describe, root + folder, e);
        }
        requireRoot(s, "listing " + describe); // a folder never made holds nothing; the root missing is a share not mounted
      }
    }
    return found;
  }

  private void walk(SftpClient sftp, String folder, String prefix, List<RemoteObject> found) throws IOException {
    for (DirEntry entry : sftp.readDir(root.isEmpty() && folder.isEmpty() ? "." : root + folder)) {
      String name = entry.getFilename();
      String key = folder + name;
      if (name.equals(".") || name.equals("..") || name.contains(PART)) {
        continue;
      }
      Attributes attributes = entry.getAttributes();
      if (attributes.isDirectory() && (key + "/").regionMatches(0, prefix, 0, Math.min(prefix.length(), key.length() + 1))) {
        walkUnlessGone(sftp, key + "/", prefix, found);
      } else if (attributes.isRegularFile() && key.startsWith(prefix)) {
        found.add(new RemoteObject(key, attributes.getSize(), null, modified(attributes)));
      }
    }
  }

  /**
   * A folder deleted since its parent was read (retention, a deletion by hand, another node) holds nothing, which is what a
   * listing a moment later would say: the walk goes on with the rest. Any other failure fails the whole listing: a partial
   * list is never answered as the whole.
   */
  private void walkUnlessGone(SftpClient sftp, String folder, String prefix, List<RemoteObject> found) throws IOException {
    try {
      walk(sftp, folder, prefix, found);
    } catch (IOException | RuntimeException e) { // a folder's listing fails as an unchecked one
      if (!missing(e)) {
        throw e;
      }
    }
  }

  @Override
  public void delete(String key) throws IOException {
    String path = resolve(key);
    try (SftpSessions.Session s = open()) {
      try {
        removeIfThere(s.sftp(), path);
        removeLeftoverParts(s.sftp(), path); // a killed upload's part of the key goes with it: never listed, its bytes would stay for good
      } catch (IOException | RuntimeException e) {
        if (!missing(e)) { // missing: the key's folder is not there, so nothing of it is
          throw translate(s, s.sftp(), "deleting " + key, path, e);
        }
      }
    }
  }

  @Override
  public String describe() {
    return describe;
  }

  @Override
  public void close() {
    sessions.close();
  }

  /** A session; for a {@code /~/} path, once the home it stands for has been told (and not refused). */
  private SftpSessions.Session open() throws DestinationException {
    SftpSessions.Session s = sessions.open();
    if (fromHome) {
      try {
        if (home == null) {
          home = s.sftp().canonicalPath(".");
        }
        homeFolder.found(home);
      } catch (IOException | RuntimeException e) {
        DestinationException refused = e instanceof DestinationException d ? d : translate(s, s.sftp(), "finding the home folder", ".", e);
        s.close();
        throw refused;
      }
    }
    return s;
  }

  private String resolve(String key) {
    return root + ObjectKeys.requireSafe(key);
  }

  /**
   * Refuses a root folder that is not there, and makes none: on a NAS it is often a share or a disk
   * mounted there, and writing into the empty mount point would fill the server's own disk instead
   * (a {@code file://} destination refuses the same). The user's home ({@code /~/}) is always there.
   */
  private void requireRoot(SftpClient sftp) throws IOException {
    if (root.isEmpty()) {
      return;
    }
    String folder = root.length() == 1 ? root : root.substring(0, root.length() - 1);
    try {
      if (sftp.stat(folder).isDirectory()) {
        return;
      }
    } catch (SftpException e) {
      if (!missing(e)) {
        throw e;
      }
    }
    String shown = fromHome && home != null ? home + "/" + folder : folder;
    throw new DestinationException(Problem.UNREACHABLE, "the folder " + shown + " is not on " + sessions.where()
        + ": is the disk or share mounted there? Create the folder (or mount it), or fix " + urlSetting);
  }

  /** {@link #requireRoot} where a key was not found: the root being gone is a share not mounted, not an empty destination. */
  private void requireRoot(SftpSessions.Session s, String what) throws DestinationException {
    try {
      requireRoot(s.sftp());
    } catch (IOException | RuntimeException e) {
      throw translate(s, s.sftp(), what, root, e);
    }
  }

  /** Makes each missing folder between the root and the key (an instance's folder), never the root itself. */
  private void createFolders(SftpClient sftp, String key) throws IOException {
    for (int slash = key.indexOf('/'); slash >= 0; slash = key.indexOf('/', slash + 1)) {
      String folder = root + key.substring(0, slash);
      try {
        if (sftp.stat(folder).isDirectory()) {
          continue;
        }
      } catch (SftpException e) {
        if (!missing(e)) {
          throw e;
        }
      }
      try {
        sftp.mkdir(folder);
        ownerOnly(sftp, folder, 0700);
      } catch (SftpException e) {
        if (!sftp.stat(folder).isDirectory()) { // made meanwhile by another copy: fine
          throw e;
        }
      }
    }
  }

  /**
   * Gives what this upload made the mode {@code mode}: the server makes it with its own umask (OpenSSH's sftp-server: the
   * sshd's, often 022), and an archive holds password hashes. A server that does not let us set modes keeps its own.
   */
  private static void ownerOnly(SftpClient sftp, String path, int mode) {
    try {
      sftp.setStat(path, new Attributes().perms(mode));
    } catch (IOException e) {
      log.debug("The SFTP server did not set mode {} on {}: {}", Integer.toOctalString(mode), path, e.getMessage());
    }
  }

  /**
   * Moves the finished file over the key in one step where the server offers POSIX rename (OpenSSH
   * does); plain SFTP rename refuses an existing target, so elsewhere the old one is removed first.
   */
  private static void replace(SftpClient sftp, String part, String target) throws IOException {
    OpenSSHPosixRenameExtension posix = sftp.getExtension(OpenSSHPosixRenameExtension.class);
    if (posix != null && posix.isSupported()) {
      posix.posixRename(part, target);
      return;
    }
    removeIfThere(sftp, target);
    sftp.rename(part, target);
  }

  /**
   * What a writer of this key left when its process was killed mid-copy (a part nobody lists, but
   * whose bytes fill the disk): one process writes a key at a time (the one that runs the
   * schedules), so any part of it is a dead one's.
   */
  private static void removeLeftoverParts(SftpClient sftp, String target) throws IOException {
    int slash = target.lastIndexOf('/');
    String prefix = target.substring(slash + 1) + PART;
    for (DirEntry entry : sftp.readDir(slash < 0 ? "." : target.substring(0, slash))) {
      if (entry.getFilename().startsWith(prefix)) {
        removeIfThere(sftp, target.substring(0, slash + 1) + entry.getFilename());
      }
    }
  }

  private static void removeIfThere(SftpClient sftp, String path) throws IOException {
    try {
      sftp.remove(path);
    } catch (SftpException e) {
      if (!missing(e)) {
        throw e;
      }
    }
  }

  private static void removeQuietly(SftpClient sftp, String path) {
    try {
      if (sftp.isOpen()) {
        removeIfThere(sftp, path);
      }
    } catch (IOException | RuntimeException e) {
      // a part left behind is never listed, and the connection that could remove it is gone
    }
  }

  private DestinationException translate(SftpSessions.Session s, SftpClient sftp, String what, String path, Exception e) {
    // a folder's listing fails as an unchecked exception that holds the server's answer
    Exception answer = e instanceof RuntimeException && e.getCause() instanceof SftpException cause ? cause : e;
    if (answer instanceof SftpException f) {
      int status = f.getStatus();
      if (missing(f)) {
        return new DestinationException(Problem.MISSING, path + " is not on " + sessions.where() + " (deleted there?)", e);
      }
      if (status == SftpConstants.SSH_FX_PERMISSION_DENIED) {
        String verb = refusedTo(what);
        return new DestinationException(Problem.REFUSED, what + " on " + sessions.where() + " was refused: the SSH user may not " + verb + " "
            + path + "; fix the owner or mode of " + ("read".equals(verb) ? "the file or its folder" : "the folder"), e);
      }
      if (status == SftpConstants.SSH_FX_NO_SPACE_ON_FILESYSTEM || status == SftpConstants.SSH_FX_QUOTA_EXCEEDED || full(f, sftp, path)) {
        return new DestinationException(Problem.FULL, what + " on " + sessions.where() + " failed: the disk or the user's quota is full; "
            + "free space there or lower the destination's retention", e);
      }
    }
    return sessions.translate(s.ssh(), what, e);
  }

  /** What the SSH user was refused, in the words of what was tried: a read or a listing refused is no write refused. */
  static String refusedTo(String what) {
    if (what.startsWith("reading") || what.startsWith("finding")) {
      return "read";
    }
    if (what.startsWith("listing")) {
      return "list";
    }
    return what.startsWith("deleting") ? "delete" : "write";
  }

  /**
   * OpenSSH's server answers a full disk with a bare "Failure" (SFTP v3 has no code for it), so a
   * failed write asks the server how much space is left, where it offers statvfs.
   */
  private static boolean full(SftpException e, SftpClient sftp, String path) {
    String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
    if (message.contains("no space left") || message.contains("quota")) {
      return true;
    }
    if (e.getStatus() != SftpConstants.SSH_FX_FAILURE || !sftp.isOpen()) {
      return false;
    }
    try {
      OpenSSHStatPathExtension statvfs = sftp.getExtension(OpenSSHStatPathExtension.class);
      if (statvfs == null || !statvfs.isSupported()) {
        return false;
      }
      int slash = path.lastIndexOf('/');
      var space = statvfs.stat(slash <= 0 ? "." : path.substring(0, slash));
      return space.f_bavail * Math.max(space.f_frsize, 1) < BUFFER_BYTES;
    } catch (IOException | RuntimeException unknown) {
      return false;
    }
  }

  /** Whether the server said there is no such file or folder, also where the client wrapped its answer in another exception. */
  private static boolean missing(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SftpException f) {
        return f.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE || f.getStatus() == SftpConstants.SSH_FX_NO_SUCH_PATH;
      }
    }
    return false;
  }

  private static Instant modified(Attributes attributes) {
    return attributes.getModifyTime() == null ? null : attributes.getModifyTime().toInstant();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
