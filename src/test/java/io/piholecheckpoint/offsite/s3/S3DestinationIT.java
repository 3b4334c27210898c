package io.piholecheckpoint.offsite.s3;

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
import io.piholecheckpoint.testing.S3Proxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** The S3 destination against S3Proxy, a real S3 API server in its own process, and its faults. */
class S3DestinationIT extends DestinationContract {
  private static final String BUCKET = "checkpoint";
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  @TempDir
  static Path dir;
  private static S3Proxy server;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3Proxy.start(dir);
    server.bucket(BUCKET);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected Destination destination() {
    return at(server.port, "s3://" + BUCKET + "/test-" + PREFIXES.incrementAndGet() + "/backups", S3Proxy.SECRET, Duration.ofSeconds(10));
  }

  @Override
  protected String[] secrets() {
    return new String[] {S3Proxy.SECRET};
  }

  private static S3Destination at(int port, String url, String secret, Duration timeout) {
    return new S3Destination(new DestinationConfig("S3TEST", URI.create(url), Map.of("ENDPOINT", "http://127.0.0.1:" + port,
        "ACCESS_KEY_ID", S3Proxy.ACCESS_KEY_ID, "SECRET_ACCESS_KEY", secret, "PATH_STYLE", "true"), timeout));
  }

  /** The store as an administrator sees it, to look behind the adapter's back (unfinished uploads). */
  private static S3Client admin() {
    return server.client();
  }

  private static void assertProblem(Problem problem, ThrowingCallable call, Consumer<String> message) {
    assertThatThrownBy(call::call).isInstanceOfSatisfying(DestinationException.class, e -> {
      assertThat(e.problem()).as(e.getMessage()).isEqualTo(problem);
      assertThat(e.getMessage()).doesNotContain(S3Proxy.SECRET);
      message.accept(e.getMessage());
    });
  }

  private interface ThrowingCallable {
    void call() throws Exception;
  }

  @Test
  void storesAnArchiveOfSeveralPartsAndReadsItsDigestBack() throws Exception {
    byte[] bytes = randomBytes((int) S3Destination.PART_BYTES * 2 + 1234, 3);
    try (Destination d = destination()) {
      d.put("home/big.zip.gpg", new java.io.ByteArrayInputStream(bytes), bytes.length);
      RemoteObject stored = d.check("home/big.zip.gpg").orElseThrow();
      assertThat(stored.size()).isEqualTo(bytes.length);
      assertThat(stored.sha256()).isEqualTo(sha256(bytes));
    }
  }

  @Test
  void anUploadThatAKilledWriterLeftUnfinishedIsAbortedByTheNextCopyOfThatKey() throws Exception {
    String prefix = "test-" + PREFIXES.incrementAndGet() + "/backups/";
    byte[] bytes = randomBytes((int) S3Destination.PART_BYTES + 1, 7);
    try (S3Client admin = admin(); Destination d = at(server.port, "s3://" + BUCKET + "/" + prefix, S3Proxy.SECRET, Duration.ofSeconds(10))) {
      String dead = admin.createMultipartUpload(b -> b.bucket(BUCKET).key(prefix + "home/a.zip.gpg")).uploadId();
      String otherKey = admin.createMultipartUpload(b -> b.bucket(BUCKET).key(prefix + "home/b.zip.gpg")).uploadId();

      d.put("home/a.zip.gpg", new java.io.ByteArrayInputStream(bytes), bytes.length);

      assertThat(admin.listMultipartUploads(b -> b.bucket(BUCKET).prefix(prefix)).uploads()).extracting(u -> u.uploadId())
          .containsExactly(otherKey).doesNotContain(dead);
      assertThat(d.check("home/a.zip.gpg").orElseThrow().sha256()).isEqualTo(sha256(bytes));
      admin.abortMultipartUpload(b -> b.bucket(BUCKET).key(prefix + "home/b.zip.gpg").uploadId(otherKey));
    }
  }

  /** A backup deleted after its upload was killed: the unfinished upload, never listed but billed, goes with the key. */
  @Test
  void anUploadThatAKilledWriterLeftUnfinishedIsAbortedWhenItsKeyIsDeleted() throws Exception {
    String prefix = "test-" + PREFIXES.incrementAndGet() + "/backups/";
    try (S3Client admin = admin(); Destination d = at(server.port, "s3://" + BUCKET + "/" + prefix, S3Proxy.SECRET, Duration.ofSeconds(10))) {
      admin.createMultipartUpload(b -> b.bucket(BUCKET).key(prefix + "home/a.zip.gpg"));
      String otherKey = admin.createMultipartUpload(b -> b.bucket(BUCKET).key(prefix + "home/b.zip.gpg")).uploadId();

      d.delete("home/a.zip.gpg");

      assertThat(admin.listMultipartUploads(b -> b.bucket(BUCKET).prefix(prefix)).uploads()).extracting(u -> u.uploadId())
          .containsExactly(otherKey);
      admin.abortMultipartUpload(b -> b.bucket(BUCKET).key(prefix + "home/b.zip.gpg").uploadId(otherKey));
    }
  }

  @Test
  void aServerThatIsDownIsUnreachable() throws Exception {
    try (Destination d = at(Ports.unused(), "s3://" + BUCKET + "/down", S3Proxy.SECRET, Duration.ofSeconds(5))) {
      assertProblem(Problem.UNREACHABLE, () -> d.put("home/a.zip", text("x"), 1), m -> assertThat(m).contains("cannot be reached"));
      assertProblem(Problem.UNREACHABLE, () -> d.list(""), m -> { });
    }
  }

  @Test
  void aWrongSecretIsRefusedAndTheMessageNamesTheVariablesNotTheSecret() throws Exception {
    String wrong = "not-the-secret-7f3a";
    try (Destination d = at(server.port, "s3://" + BUCKET + "/refused", wrong, Duration.ofSeconds(5))) {
      for (ThrowingCallable call : List.<ThrowingCallable>of(() -> d.put("home/a.zip", text("x"), 1), () -> d.list(""), () -> d.check("home/a.zip"))) {
        assertProblem(Problem.REFUSED, call, m -> assertThat(m).contains("OFFSITE_S3TEST_SECRET_ACCESS_KEY").doesNotContain(wrong));
      }
    }
  }

  @Test
  void aMissingBucketSaysToCreateIt() throws Exception {
    try (Destination d = at(server.port, "s3://no-such-bucket/x", S3Proxy.SECRET, Duration.ofSeconds(5))) {
      assertProblem(Problem.FAILED, () -> d.put("home/a.zip", text("x"), 1), m -> assertThat(m).contains("create bucket no-such-bucket"));
      assertProblem(Problem.FAILED, () -> d.check("home/a.zip"), m -> assertThat(m).contains("create bucket no-such-bucket"));
      assertProblem(Problem.FAILED, () -> d.list(""), m -> assertThat(m).contains("create bucket no-such-bucket"));
    }
  }

  @Test
  void aMultipartUploadCutByTheArchiveLeavesNoObjectAndNoParts() throws Exception {
    long length = S3Destination.PART_BYTES * 3;
    InputStream failsInThirdPart = new InputStream() {
      private long left = S3Destination.PART_BYTES * 2 + 100_000;

      @Override
      public int read() throws IOException {
        throw new IOException("single bytes are not read");
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) {
          throw new IOException("the archive's disk failed");
        }
        int n = (int) Math.min(len, left);
        left -= n;
        return n;
      }
    };
    try (Destination d = destination(); S3Client admin = admin()) {
      assertProblem(Problem.FAILED, () -> d.put("home/cut.zip", failsInThirdPart, length), m -> assertThat(m).contains("the archive's disk failed"));
      assertThat(d.check("home/cut.zip")).isEmpty();
      assertThat(admin.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
    }
  }

  @Test
  void aMultipartUploadCutOnTheNetworkLeavesNoObjectAndNoParts() throws Exception {
    byte[] bytes = randomBytes((int) (S3Destination.PART_BYTES * 2), 5);
    try (FaultProxy proxy = FaultProxy.to("127.0.0.1", server.port);
        Destination d = at(proxy.port(), "s3://" + BUCKET + "/cut-network", S3Proxy.SECRET, Duration.ofSeconds(5));
        S3Client admin = admin()) {
      proxy.cutRequestAfter(S3Destination.PART_BYTES / 2); // every connection, so that each attempt of the first part breaks
      assertThatThrownBy(() -> d.put("home/cut.zip", new java.io.ByteArrayInputStream(bytes), bytes.length)).isInstanceOf(DestinationException.class);
      proxy.forward();
      assertThat(d.check("home/cut.zip")).isEmpty();
      assertThat(admin.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
    }
  }

  /**
   * The link breaks once in the middle of a part, as a flaky network or a store's proxy does: the SDK sends the part again on a
   * new connection, and the copy is whole on that same attempt of the copy — the body it sends again is read again from the start,
   * not rewound as far as a buffer reaches.
   */
  @Test
  void aPartWhoseConnectionBreaksMidBodyIsSentAgainAndTheCopyIsWhole() throws Exception {
    byte[] bytes = randomBytes((int) (S3Destination.PART_BYTES * 2 + 1024), 7);
    try (FaultProxy proxy = FaultProxy.to("127.0.0.1", server.port);
        Destination d = at(proxy.port(), "s3://" + BUCKET + "/flaky", S3Proxy.SECRET, Duration.ofSeconds(10))) {
      proxy.cutNextRequestAfter(S3Destination.PART_BYTES / 2);
      d.put("home/flaky.zip", new java.io.ByteArrayInputStream(bytes), bytes.length);
      assertThat(proxy.connections()).as("the part was sent again on a new connection").isGreaterThan(1);
      assertThat(d.check("home/flaky.zip")).get().satisfies(o -> {
        assertThat(o.size()).isEqualTo(bytes.length);
        assertThat(o.sha256()).isEqualTo(sha256(bytes));
      });
    }
  }

  /** The same for an archive of one part, which goes up in a single PutObject. */
  @Test
  void aSinglePutWhoseConnectionBreaksMidBodyIsSentAgainAndTheCopyIsWhole() throws Exception {
    byte[] bytes = randomBytes(3 * 1024 * 1024, 8);
    try (FaultProxy proxy = FaultProxy.to("127.0.0.1", server.port);
        Destination d = at(proxy.port(), "s3://" + BUCKET + "/flaky-one", S3Proxy.SECRET, Duration.ofSeconds(10))) {
      proxy.cutNextRequestAfter(1024 * 1024);
      d.put("home/flaky.zip", new java.io.ByteArrayInputStream(bytes), bytes.length);
      assertThat(proxy.connections()).as("the object was sent again on a new connection").isGreaterThan(1);
      assertThat(d.check("home/flaky.zip")).get().satisfies(o -> {
        assertThat(o.size()).isEqualTo(bytes.length);
        assertThat(o.sha256()).isEqualTo(sha256(bytes));
      });
    }
  }

  /**
   * A 24 MiB archive (two parts) goes up in a JVM whose heap could not hold even one 16 MiB part: the upload
   * can only pass by streaming.
   */
  @Test
  void aLargeArchiveGoesUpInAHeapSmallerThanOnePart() throws Exception {
    Path archive = dir.resolve("large.zip.gpg");
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    Random random = new Random(11);
    byte[] chunk = new byte[1024 * 1024];
    try (OutputStream out = Files.newOutputStream(archive)) {
      for (int i = 0; i < 24; i++) {
        random.nextBytes(chunk);
        sha256.update(chunk);
        out.write(chunk);
      }
    }
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx16m",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), S3Upload.class.getName(),
        server.endpoint(), "s3://" + BUCKET + "/streamed", "home/large.zip.gpg", archive.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("S3_ACCESS_KEY_ID", S3Proxy.ACCESS_KEY_ID);
    builder.environment().put("S3_SECRET_ACCESS_KEY", S3Proxy.SECRET);
    Process upload = builder.start();
    String output = new String(upload.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(upload.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(upload.exitValue()).as(output).isZero();
    assertThat(output).contains("sha256=" + HexFormat.of().formatHex(sha256.digest()));
  }

  /**
   * A request body is spooled to a file that is unlinked as it is opened: a process killed (-9) while a request is under way, to
   * a store that takes the connection and never answers, leaves nothing in the temporary folder, which other processes share and
   * which is RAM where /tmp is a tmpfs.
   */
  @Test
  void anUploadKilledMidRequestLeavesNoSpoolFileBehind(@TempDir Path tmp) throws Exception {
    Path archive = dir.resolve("killed.zip.gpg");
    Files.write(archive, randomBytes(2 * 1024 * 1024, 13));
    try (FaultProxy proxy = FaultProxy.to("127.0.0.1", server.port)) {
      proxy.stall();
      List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Djava.io.tmpdir=" + tmp,
          "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), S3Upload.class.getName(),
          "http://127.0.0.1:" + proxy.port(), "s3://" + BUCKET + "/killed", "home/killed.zip.gpg", archive.toString());
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      builder.environment().put("S3_ACCESS_KEY_ID", S3Proxy.ACCESS_KEY_ID);
      builder.environment().put("S3_SECRET_ACCESS_KEY", S3Proxy.SECRET);
      Process upload = builder.start();
      try {
        // the body is spooled before its request connects: once the store has the connection, the spool is open
        io.piholecheckpoint.testing.Eventually.until("the upload connects", Duration.ofSeconds(60), () -> proxy.connections() > 0);
        try (var listed = Files.list(tmp)) {
          assertThat(listed.filter(f -> f.getFileName().toString().startsWith("checkpoint-s3-")).toList()).as("unlinked while in use").isEmpty();
        }
      } finally {
        upload.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs in it
        assertThat(upload.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      try (var listed = Files.list(tmp)) {
        assertThat(listed.filter(f -> f.getFileName().toString().startsWith("checkpoint-s3-")).toList()).isEmpty();
      }
    }
  }

  /**
   * S3Proxy verifies the SHA-256 it is sent but keeps none to answer with, so {@code check} reads
   * the object back; the proxy in front adds the header that AWS S3 answers, or changes the bytes.
   */
  @Test
  void checkReportsTheChecksumTheServerAnswersNotTheOneSent() throws Exception {
    byte[] bytes = "the archive".getBytes(StandardCharsets.UTF_8);
    String wrong = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest("another".getBytes(StandardCharsets.UTF_8)));
    try (FaultProxy proxy = FaultProxy.to("127.0.0.1", server.port);
        Destination d = at(proxy.port(), "s3://" + BUCKET + "/wrong-checksum", S3Proxy.SECRET, Duration.ofSeconds(5))) {
      d.put("home/a.zip", new java.io.ByteArrayInputStream(bytes), bytes.length);
      assertThat(d.check("home/a.zip").orElseThrow().sha256()).as("read back").isEqualTo(sha256(bytes));

      // not "\r\nETag": the proxy holds back a tail that may begin a match, and the head ends in "\r\n"
      proxy.replaceInResponse("ETag: ", "x-amz-checksum-sha256: " + wrong + "\r\nETag: ");
      proxy.dropConnections();
      assertThat(d.check("home/a.zip").orElseThrow().sha256()).as("the server's checksum header")
          .isEqualTo(HexFormat.of().formatHex(Base64.getDecoder().decode(wrong)));

      proxy.replaceInResponse("the archive", "the ARCHIVE");
      proxy.dropConnections();
      assertThat(d.check("home/a.zip").orElseThrow().sha256()).as("changed bytes read back")
          .isEqualTo(sha256("the ARCHIVE".getBytes(StandardCharsets.UTF_8)));
    }
  }

  /**
   * The calls of a Test carry no archive (a probe of 1 KiB): each ends within the destination's timeout, however often the SDK
   * would try it again. Each of its three attempts used to wait the timeout out, with pauses between: 9.5 s for 3 s.
   */
  @Test
  void aStalledStoreFailsEachCallOfATestWithinTheTimeoutTheSdksRetriesIncluded() throws Exception {
    Duration timeout = Duration.ofSeconds(3);
    try (FaultProxy proxy = FaultProxy.to("127.0.0.1", server.port);
        Destination d = at(proxy.port(), "s3://" + BUCKET + "/stalled", S3Proxy.SECRET, timeout)) {
      proxy.stall();
      byte[] probe = randomBytes(1024, 11);
      for (ThrowingCallable call : List.<ThrowingCallable>of(() -> d.put("checkpoint-test-0123.probe", new java.io.ByteArrayInputStream(probe),
          probe.length), () -> d.check("checkpoint-test-0123.probe"), () -> d.delete("checkpoint-test-0123.probe"))) {
        long started = System.nanoTime();

        assertProblem(Problem.TIMEOUT, call, m -> assertThat(m).contains("did not answer"));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("generous: twice the timeout").isLessThan(timeout.multipliedBy(2));
      }
    }
  }

  /**
   * Closing the destination (the app stopping, or the destination changed in Settings) cuts off an upload that the store took
   * whole and never answers: the JDK's connection under the SDK does not end on an interrupt, and would wait out the timeout.
   */
  @Test
  void closingCutsOffAnUploadWaitingForAStalledStoresAnswer() throws Exception {
    byte[] archive = randomBytes(256 * 1024, 17);
    try (FaultProxy proxy = FaultProxy.to("127.0.0.1", server.port)) {
      proxy.stall();
      Destination d = at(proxy.port(), "s3://" + BUCKET + "/cut-off", S3Proxy.SECRET, Duration.ofSeconds(120));
      java.util.concurrent.CompletableFuture<Void> upload = java.util.concurrent.CompletableFuture.runAsync(() -> {
        try {
          d.put("home/a.zip.gpg", new java.io.ByteArrayInputStream(archive), archive.length);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      io.piholecheckpoint.testing.Eventually.until("the store took the whole upload", Duration.ofSeconds(60),
          () -> proxy.stalledBytes() >= archive.length);

      d.close();

      assertThatThrownBy(() -> upload.get(20, TimeUnit.SECONDS)).as("generous: a sixth of the timeout")
          .isInstanceOf(java.util.concurrent.ExecutionException.class).cause().isInstanceOf(java.io.UncheckedIOException.class)
          .cause().isInstanceOf(DestinationException.class);
      assertThatThrownBy(() -> d.list("")).as("nothing goes out after it").isInstanceOf(DestinationException.class);
    }
  }

  @Test
  void aServerThatStopsAnsweringTimesOut() throws Exception {
    try (FaultProxy proxy = FaultProxy.to("127.0.0.1", server.port);
        Destination d = at(proxy.port(), "s3://" + BUCKET + "/slow", S3Proxy.SECRET, Duration.ofSeconds(1))) {
      proxy.stall();
      assertProblem(Problem.TIMEOUT, () -> d.put("home/a.zip", text("x"), 1), m -> assertThat(m).contains("did not answer in time"));
      assertProblem(Problem.TIMEOUT, () -> d.check("home/a.zip"), m -> { });
    }
  }
}
