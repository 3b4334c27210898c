package io.piholecheckpoint.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The real server of each off-site kind, started once for a test class, and the
 * {@code OFFSITE_<NAME>_*} variables that point the app at a folder of it. Every one of these
 * servers keeps what it is sent as plain files on this machine, so {@link Server#stored} lets a
 * test look behind the app's back at what arrived.
 */
public final class OffsiteServers {
  private OffsiteServers() {
  }

  public enum Kind { FILE, S3, SFTP, WEBDAV }

  public interface Server extends AutoCloseable {
    /** The variables of destination {@code name} pointing at {@code folder} (made if missing) of this server. */
    Map<String, String> variables(String name, String folder) throws Exception;

    /** The directory where the server keeps the objects under {@code folder}. */
    Path stored(String folder);

    /** Uploads under {@code folder} that were begun and never finished: part files, S3's multipart uploads. */
    List<String> unfinished(String folder) throws Exception;

    /** The values that must never show in a log, a message or a page. */
    List<String> secrets();

    @Override
    void close() throws InterruptedException;
  }

  /**
   * One server per kind for a test class, each started when a test first asks for it. As a JUnit extension, a static field
   * of the class, it keeps them in a temp folder of its own and stops them, then deletes the folder, after the class's
   * tests; with a folder given, the caller closes it.
   *
   * <pre>{@code @RegisterExtension static final OffsiteServers.PerClass servers = new OffsiteServers.PerClass();}</pre>
   */
  public static final class PerClass implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    private Path dir;
    private final boolean ownDir;
    private final Map<Kind, Server> servers = new EnumMap<>(Kind.class);

    /** Registered as an extension: the folder is made before the class's tests and deleted after them. */
    public PerClass() {
      this.ownDir = true;
    }

    public PerClass(Path dir) {
      this.dir = dir;
      this.ownDir = false;
    }

    public Server of(Kind kind) throws Exception {
      assumeTrue(kind != Kind.SFTP || Files.isExecutable(OpenSshServer.SSHD), "Debian's openssh-server is not installed (.ci/test installs it)");
      if (dir == null) {
        throw new IllegalStateException("OffsiteServers.PerClass() is an extension: register it with @RegisterExtension on a static field");
      }
      if (!servers.containsKey(kind)) {
        servers.put(kind, start(kind, Files.createDirectories(dir.resolve(kind.name().toLowerCase()))));
      }
      return servers.get(kind);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
      if (ownDir) {
        dir = Files.createTempDirectory("offsite-servers");
      }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
      close();
      if (ownDir && dir != null) {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(file);
          }
        }
        dir = null;
      }
    }

    @Override
    public void close() throws InterruptedException {
      for (Server server : servers.values()) {
        server.close();
      }
      servers.clear();
    }
  }

  /** The files a server keeps under {@code stored} (see {@link Server#stored}), relative to it; none if it is missing. */
  public static Set<String> files(Path stored) throws IOException {
    if (!Files.isDirectory(stored)) {
      return Set.of();
    }
    try (Stream<Path> files = Files.walk(stored)) {
      return files.filter(Files::isRegularFile).map(f -> stored.relativize(f).toString()).collect(Collectors.toSet());
    }
  }

  /** The files that the part-and-rename kinds write before the rename ({@code <key>.part-<random>}). */
  private static List<String> partFiles(Path stored) throws IOException {
    return files(stored).stream().filter(f -> f.contains(".part-")).sorted().toList();
  }

  /** Starts a server of {@code kind} keeping its keys, data and log in {@code dir}. */
  public static Server start(Kind kind, Path dir) throws Exception {
    return switch (kind) {
      case FILE -> new Directory(Files.createDirectories(dir.resolve("files")));
      case S3 -> new S3(S3Proxy.start(Files.createDirectories(dir.resolve("s3"))));
      case SFTP -> new Sftp(OpenSshServer.start(Files.createDirectories(dir.resolve("sshd"))), Files.createDirectories(dir.resolve("sftp")));
      case WEBDAV -> {
        Path root = Files.createDirectories(dir.resolve("dav"));
        yield new WebDav(RcloneWebDav.serve(root, Files.createDirectories(dir.resolve("rclone"))), root);
      }
    };
  }

  private record Directory(Path root) implements Server {
    public Map<String, String> variables(String name, String folder) throws Exception {
      return Map.of("OFFSITE_" + name + "_URL", Files.createDirectories(stored(folder)).toUri().toString());
    }

    public Path stored(String folder) {
      return root.resolve(folder);
    }

    public List<String> unfinished(String folder) throws Exception {
      return partFiles(stored(folder));
    }

    public List<String> secrets() {
      return List.of();
    }

    public void close() {
    }
  }

  private record S3(S3Proxy server, S3Client admin) implements Server {
    /** The store as its owner sees it, built once: a test polls it while an upload runs. */
    S3(S3Proxy server) {
      this(server, server.client());
    }

    private static final String BUCKET = "checkpoint";

    public Map<String, String> variables(String name, String folder) throws Exception {
      String v = "OFFSITE_" + name + "_";
      return Map.of(v + "URL", "s3://" + server.bucket(BUCKET) + "/" + folder, v + "ENDPOINT", server.endpoint(),
          v + "ACCESS_KEY_ID", S3Proxy.ACCESS_KEY_ID, v + "SECRET_ACCESS_KEY", S3Proxy.SECRET, v + "PATH_STYLE", "true");
    }

    /** S3Proxy's filesystem store keeps an object as a file under its bucket's folder, a key's slashes as folders. */
    public Path stored(String folder) {
      return server.data.resolve(BUCKET).resolve(folder);
    }

    public List<String> unfinished(String folder) {
      return admin.listMultipartUploads(b -> b.bucket(BUCKET).prefix(folder + "/")).uploads().stream()
          .map(u -> u.key() + " (multipart upload " + u.uploadId() + ")").toList();
    }

    public List<String> secrets() {
      return List.of(S3Proxy.SECRET);
    }

    public void close() throws InterruptedException {
      admin.close();
      server.close();
    }
  }

  private record Sftp(OpenSshServer server, Path root) implements Server {
    /** The folder is made first, as a user makes it on the NAS: the destination refuses one that is not there. */
    public Map<String, String> variables(String name, String folder) throws Exception {
      Files.createDirectories(stored(folder));
      String v = "OFFSITE_" + name + "_";
      return Map.of(v + "URL", "sftp://" + server.user + "@127.0.0.1:" + server.port + stored(folder),
          v + "PRIVATE_KEY_FILE", server.clientKey().toString(), v + "HOST_KEY", OpenSshServer.fingerprint(server.hostKey()));
    }

    public Path stored(String folder) {
      return root.resolve(folder);
    }

    public List<String> unfinished(String folder) throws Exception {
      return partFiles(stored(folder));
    }

    public List<String> secrets() {
      return List.of();
    }

    public void close() throws InterruptedException {
      server.close();
    }
  }

  private record WebDav(RcloneWebDav server, Path root) implements Server {
    /** The folder is made first, as a user makes it in Nextcloud before pointing Checkpoint at it. */
    public Map<String, String> variables(String name, String folder) throws Exception {
      Files.createDirectories(stored(folder));
      String v = "OFFSITE_" + name + "_";
      return Map.of(v + "URL", "webdav+http://127.0.0.1:" + server.port() + "/" + folder,
          v + "USER", RcloneWebDav.USER, v + "PASSWORD", RcloneWebDav.PASSWORD);
    }

    public Path stored(String folder) {
      return root.resolve(folder);
    }

    public List<String> unfinished(String folder) throws Exception {
      return partFiles(stored(folder));
    }

    public List<String> secrets() {
      return List.of(RcloneWebDav.PASSWORD);
    }

    public void close() throws InterruptedException {
      server.close();
    }
  }
}
