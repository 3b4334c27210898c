package io.piholecheckpoint.offsite.webdav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.core.offsite.remote.DestinationException;
import io.piholecheckpoint.core.offsite.remote.DestinationException.Problem;
import io.piholecheckpoint.core.offsite.remote.RemoteObject;
import io.piholecheckpoint.offsite.DestinationContract;
import io.piholecheckpoint.testing.FaultProxy;
import io.piholecheckpoint.testing.Ports;
import io.piholecheckpoint.testing.RcloneWebDav;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against Debian's rclone serving WebDAV, and a fault proxy in front of it for what a network and a server do wrong. */
class WebDavDestinationIT extends DestinationContract {
  private static final AtomicInteger FOLDERS = new AtomicInteger();
  @TempDir
  static Path scratch;
  private static Path root;
  private static RcloneWebDav server;
  private FaultProxy proxy;
  private Path folder;

  @BeforeAll
  static void serve() throws Exception {
    root = Files.createDirectory(scratch.resolve("served"));
    server = RcloneWebDav.serve(root, scratch);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @AfterEach
  void closeProxy() {
    if (proxy != null) {
      proxy.close();
    }
  }

  /** A new folder for each test, as a user makes one in Nextcloud before pointing Checkpoint at it. */
  @Override
  protected Destination destination() throws Exception {
    folder = Files.createDirectory(root.resolve("checkpoint-" + FOLDERS.incrementAndGet()));
    return at(server.port(), RcloneWebDav.PASSWORD, DestinationConfig.DEFAULT_TIMEOUT);
  }

  @Override
  protected String[] secrets() {
    return new String[] {RcloneWebDav.PASSWORD};
  }

  private WebDavDestination at(int port, String password, Duration timeout) {
    return new WebDavDestination(config("webdav+http://127.0.0.1:" + port + "/" + folder.getFileName(),
        Map.of("USER", RcloneWebDav.USER, "PASSWORD", password), timeout));
  }

  /** The destination through a proxy that now misbehaves as told, in a fresh folder. */
  private WebDavDestination throughProxy(Duration timeout) throws Exception {
    destination().close();
    return at(proxy.port(), RcloneWebDav.PASSWORD, timeout);
  }

  private static DestinationConfig config(String url, Map<String, String> options, Duration timeout) {
    return new DestinationConfig("NEXTCLOUD", URI.create(url), options, timeout);
  }

  private static void assertProblem(ThrowingCallable call, Problem problem) {
    assertThatThrownBy(call).isInstanceOfSatisfying(DestinationException.class, e -> assertThat(e.problem()).as(e.getMessage()).isEqualTo(problem));
  }

  @Test
  void aServerThatIsDownIsUnreachable() throws Exception {
    destination().close();
    try (WebDavDestination d = at(Ports.unused(), RcloneWebDav.PASSWORD, DestinationConfig.DEFAULT_TIMEOUT)) {
      assertProblem(() -> d.list(""), Problem.UNREACHABLE);
      assertProblem(() -> d.put("home/a.zip", text("a"), 1), Problem.UNREACHABLE);
    }
  }

  @Test
  void aWrongPasswordIsRefusedAndNamesTheVariablesNotThePassword() throws Exception {
    destination().close();
    try (WebDavDestination d = at(server.port(), "not-the-password", DestinationConfig.DEFAULT_TIMEOUT)) {
      assertThatThrownBy(() -> d.put("home/a.zip", text("a"), 1)).isInstanceOfSatisfying(DestinationException.class, e -> {
        assertThat(e.problem()).isEqualTo(Problem.REFUSED);
        assertThat(e.getMessage()).contains("OFFSITE_NEXTCLOUD_USER", "OFFSITE_NEXTCLOUD_PASSWORD").doesNotContain("not-the-password");
      });
      assertProblem(() -> d.check("home/a.zip"), Problem.REFUSED);
    }
  }

  @Test
  void aFolderThatIsNotThereIsAWrongUrlNotAnEmptyDestination() throws Exception {
    destination().close();
    try (WebDavDestination d = new WebDavDestination(config("webdav+http://127.0.0.1:" + server.port() + "/no-such-folder",
        Map.of("USER", RcloneWebDav.USER, "PASSWORD", RcloneWebDav.PASSWORD), DestinationConfig.DEFAULT_TIMEOUT))) {
      assertThatThrownBy(() -> d.list("")).isInstanceOf(DestinationException.class).hasMessageContaining("OFFSITE_NEXTCLOUD_URL");
      assertThatThrownBy(() -> d.check("home/a.zip")).hasMessageContaining("create it");
      assertThatThrownBy(() -> d.put("home/a.zip", text("a"), 1)).hasMessageContaining("create it");
    }
  }

  /** As a directory's or an SFTP server's: the folder may be a share not mounted, so the probe of a Test is refused too, and nothing is made. */
  @Test
  void aFolderThatIsNotThereIsRefusedAsDownForTheTestsProbeAndACopyAndNothingIsMade() throws Exception {
    destination().close();
    String missing = "missing-" + FOLDERS.incrementAndGet();
    try (WebDavDestination d = new WebDavDestination(config("webdav+http://127.0.0.1:" + server.port() + "/" + missing + "/checkpoint",
        Map.of("USER", RcloneWebDav.USER, "PASSWORD", RcloneWebDav.PASSWORD), DestinationConfig.DEFAULT_TIMEOUT))) {
      for (ThrowingCallable call : new ThrowingCallable[] {() -> d.put("checkpoint-test-0123.probe", text("probe"), 5),
          () -> d.put("home/a.zip", text("a"), 1), () -> d.check("home/a.zip"), () -> d.list("")}) {
        assertThatThrownBy(call).isInstanceOfSatisfying(DestinationException.class, e -> assertThat(e.problem()).isEqualTo(Problem.UNREACHABLE))
            .hasMessageContaining("/" + missing + "/checkpoint/ is not on the server: create it there").hasMessageContaining("OFFSITE_NEXTCLOUD_URL");
      }
    }

    assertThat(root.resolve(missing)).doesNotExist();
  }

  @Test
  void anArchiveDeletedOnTheServerIsGoneAndMissing() throws Exception {
    try (Destination d = destination()) {
      d.put("home/a.zip", text("abc"), 3);

      Files.delete(folder.resolve("home/a.zip"));

      assertThat(d.check("home/a.zip")).isEmpty();
      assertProblem(() -> d.open("home/a.zip"), Problem.MISSING);
    }
  }

  /** A part the server was still writing when its DELETE came (rclone keeps it then) stays out of sight. */
  @Test
  void anUnfinishedUploadLeftOnTheServerIsNeitherListedNorAnObject() throws Exception {
    try (Destination d = destination()) {
      d.put("home/a.zip", text("abc"), 3);
      Files.writeString(folder.resolve("home/b.zip" + WebDavDestination.PART + "5e1f"), "half");

      assertThat(d.list("")).extracting(RemoteObject::key).containsExactly("home/a.zip");
      assertThat(d.check("home/b.zip")).isEmpty();
    }
  }

  @Test
  void keysWithSpacesAndNonAsciiAreStoredAndListedAsTheyAre() throws Exception {
    try (Destination d = destination()) {
      d.put("Büro Pi/a b+c%20.zip", text("x"), 1);

      assertThat(Files.exists(folder.resolve("Büro Pi/a b+c%20.zip"))).isTrue();
      assertThat(d.list("")).extracting(RemoteObject::key).containsExactly("Büro Pi/a b+c%20.zip");
      assertThat(d.check("Büro Pi/a b+c%20.zip")).isPresent();
    }
  }

  @Test
  void aServerWithoutRoomIsFull() throws Exception {
    proxy = FaultProxy.to("127.0.0.1", server.port());
    proxy.respond(FaultProxy.httpResponse(507, "Insufficient Storage", "text/plain", "quota exceeded"));
    try (WebDavDestination d = throughProxy(DestinationConfig.DEFAULT_TIMEOUT)) {
      assertProblem(() -> d.put("a.zip", new ByteArrayInputStream(randomBytes(300_000, 3)), 300_000), Problem.FULL);
      assertProblem(() -> d.put("home/a.zip", text("a"), 1), Problem.FULL);
    }
  }

  @Test
  void anUploadCutByTheNetworkLeavesNothingUnderTheKey() throws Exception {
    proxy = FaultProxy.to("127.0.0.1", server.port());
    proxy.cutRequestAfter(200_000);
    try (WebDavDestination d = throughProxy(DestinationConfig.DEFAULT_TIMEOUT)) {
      assertProblem(() -> d.put("home/cut.zip", new ByteArrayInputStream(randomBytes(1_000_000, 4)), 1_000_000), Problem.UNREACHABLE);
    }
    try (WebDavDestination direct = at(server.port(), RcloneWebDav.PASSWORD, DestinationConfig.DEFAULT_TIMEOUT)) {
      assertThat(direct.check("home/cut.zip")).isEmpty();
      assertThat(direct.list("")).isEmpty();

      direct.put("home/cut.zip", text("whole"), 5);

      try (Stream<Path> files = Files.walk(folder)) {
        assertThat(files.filter(Files::isRegularFile).map(f -> folder.relativize(f).toString()))
            .as("the key, and no part the cut upload may have left").containsExactly("home/cut.zip");
      }
    }
  }

  /** A backup deleted after its upload was killed: the part, never listed but filling the disk, goes with the key. */
  @Test
  void thePartLeftOfAKeyGoesWhenTheKeyIsDeleted() throws Exception {
    try (Destination d = destination()) {
      Path left = Files.createDirectories(folder.resolve("home")).resolve("a[1].zip" + WebDavDestination.PART + "dead");
      Files.writeString(left, "half an archive");
      Path other = Files.writeString(folder.resolve("home/b.zip" + WebDavDestination.PART + "dead"), "another key's");

      d.delete("home/a[1].zip");
      d.delete("elsewhere/c.zip"); // a folder never written: nothing to do

      assertThat(left).doesNotExist();
      assertThat(other).exists();
    }
  }

  @Test
  void thePartLeftOfAKeyIsRemovedWhenTheKeyIsWrittenAgain() throws Exception {
    try (Destination d = destination()) {
      Path left = Files.createDirectories(folder.resolve("home")).resolve("a[1].zip" + WebDavDestination.PART + "dead");
      Files.writeString(left, "half an archive");
      Path other = Files.writeString(folder.resolve("home/b.zip" + WebDavDestination.PART + "dead"), "another key's");

      d.put("home/a[1].zip", text("whole"), 5);

      assertThat(left).doesNotExist();
      assertThat(other).exists();
      assertThat(folder.resolve("home/a[1].zip")).hasContent("whole");
    }
  }

  @Test
  void aServerThatStopsAnsweringTimesOut() throws Exception {
    proxy = FaultProxy.to("127.0.0.1", server.port());
    proxy.stall();
    try (WebDavDestination d = throughProxy(Duration.ofSeconds(1))) {
      assertProblem(() -> d.check("home/a.zip"), Problem.TIMEOUT);
      assertProblem(() -> d.list(""), Problem.TIMEOUT);
      // no folder to make first: the upload itself is sent, then no answer comes
      assertProblem(() -> d.put("a.zip", new ByteArrayInputStream(randomBytes(100_000, 5)), 100_000), Problem.TIMEOUT);
    }
  }

  @Test
  void aRedirectToAnotherHostIsNotFollowed() throws Exception {
    proxy = FaultProxy.to("127.0.0.1", server.port());
    proxy.respond("HTTP/1.1 301 Moved Permanently\r\nLocation: https://user:pw@elsewhere.example/dav/?token=t\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    try (WebDavDestination d = throughProxy(DestinationConfig.DEFAULT_TIMEOUT)) {
      assertThatThrownBy(() -> d.list("")).isInstanceOfSatisfying(DestinationException.class, e -> {
        assertThat(e.problem()).isEqualTo(Problem.FAILED);
        assertThat(e.getMessage()).contains("https://elsewhere.example/dav/", "OFFSITE_NEXTCLOUD_URL").doesNotContain("pw", "token");
      });
    }
  }

  @Test
  void aListingWithAnExternalEntityFailsWithoutReadingTheFile() throws Exception {
    Path secret = Files.writeString(scratch.resolve("secret.txt"), "SECRET-MARKER-4471");
    String body = "<?xml version=\"1.0\"?><!DOCTYPE d:multistatus [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>"
        + "<d:multistatus xmlns:d=\"DAV:\"><d:response><d:href>/x/&xxe;</d:href></d:response></d:multistatus>";
    assertListingFails(body, "not a WebDAV listing");
  }

  @Test
  void aListingThatExpandsEntitiesFails() throws Exception {
    String body = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
        + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>"
        + "<d:multistatus xmlns:d=\"DAV:\"><d:response><d:href>/&d;&d;&d;&d;</d:href></d:response></d:multistatus>";
    assertListingFails(body, "not a WebDAV listing");
  }

  @Test
  void aMalformedListingFails() throws Exception {
    assertListingFails("<d:multistatus xmlns:d=\"DAV:\"><d:response><d:href>/x</d:multistatus>", "not a WebDAV listing");
    proxy.close();
    assertListingFails("<d:multistatus xmlns:d=\"DAV:\"><d:response><d:href>/a</d:href><d:propstat><d:prop><d:getcontentlength>many"
        + "</d:getcontentlength></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>", "not a WebDAV listing");
  }

  @Test
  void aHugeListingFailsOnceItPassesTheLimit() throws Exception {
    StringBuilder body = new StringBuilder("<d:multistatus xmlns:d=\"DAV:\">");
    String entry = "<d:response><d:href>/x/" + "a".repeat(400) + "</d:href></d:response>";
    while (body.length() < Multistatus.MAX_BYTES + 1_000_000) {
      body.append(entry);
    }
    assertListingFails(body.append("</d:multistatus>").toString(), "larger than 8 MiB");
  }

  private void assertListingFails(String body, String saying) throws Exception {
    proxy = FaultProxy.to("127.0.0.1", server.port());
    proxy.respond(FaultProxy.httpResponse(207, "Multi-Status", "application/xml; charset=utf-8", body));
    try (WebDavDestination d = throughProxy(DestinationConfig.DEFAULT_TIMEOUT)) {
      assertThatThrownBy(() -> d.list("")).isInstanceOfSatisfying(DestinationException.class, e -> {
        assertThat(e.problem()).isEqualTo(Problem.FAILED);
        assertThat(e.getMessage()).contains(saying).doesNotContain("SECRET-MARKER");
      });
    }
  }

  @Test
  void refusesSettingsThatCannotWorkNamingTheVariableWithoutTheSecret() {
    Map<String, String> onlyPassword = new HashMap<>(Map.of("PASSWORD", "hunter2-secret"));
    assertThatThrownBy(() -> new WebDavDestination(config("webdav+https://cloud.example.com/dav", onlyPassword, DestinationConfig.DEFAULT_TIMEOUT)))
        .hasMessageContaining("OFFSITE_NEXTCLOUD_USER").hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> new WebDavDestination(config("webdav+https://me:hunter2-secret@cloud.example.com/dav", Map.of(), DestinationConfig.DEFAULT_TIMEOUT)))
        .hasMessageContaining("OFFSITE_NEXTCLOUD_PASSWORD").hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> new WebDavDestination(config("https://cloud.example.com/dav", Map.of(), DestinationConfig.DEFAULT_TIMEOUT)))
        .hasMessageContaining("OFFSITE_NEXTCLOUD_URL");
  }

  /** A pointless upload if the heap were not flat: 40 MiB through a JVM of 32 MiB. */
  @Test
  void uploadsAndReadsBackMoreThanTheHeapHolds() throws Exception {
    destination().close();
    String url = "webdav+http://127.0.0.1:" + server.port() + "/" + folder.getFileName();
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx32m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), LargeUpload.class.getName(), url, RcloneWebDav.USER, RcloneWebDav.PASSWORD)
        .redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes());

    assertThat(child.waitFor()).as(output).isZero();
    assertThat(Files.size(folder.resolve("big.bin"))).isEqualTo(LargeUpload.SIZE);
  }

  /** Run in a small JVM by {@link #uploadsAndReadsBackMoreThanTheHeapHolds}. */
  static final class LargeUpload {
    static final long SIZE = 40L * 1024 * 1024;

    public static void main(String[] args) throws Exception {
      try (WebDavDestination d = new WebDavDestination(config(args[0], Map.of("USER", args[1], "PASSWORD", args[2]), DestinationConfig.DEFAULT_TIMEOUT))) {
        d.put("big.bin", new Zeros(SIZE), SIZE);
        RemoteObject stored = d.check("big.bin").orElseThrow();
        if (stored.size() != SIZE) {
          throw new AssertionError("stored " + stored.size());
        }
        long read = 0;
        try (InputStream in = d.open("big.bin")) {
          read = in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        if (read != SIZE) {
          throw new AssertionError("read " + read);
        }
      }
    }
  }

  private static final class Zeros extends InputStream {
    private long left;

    Zeros(long size) {
      left = size;
    }

    @Override
    public int read() {
      return left-- > 0 ? 0 : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      java.util.Arrays.fill(b, off, off + n, (byte) 0);
      left -= n;
      return n;
    }
  }
}
