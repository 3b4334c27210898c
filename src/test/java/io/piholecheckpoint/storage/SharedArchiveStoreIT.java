package io.piholecheckpoint.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.archive.Archive;
import io.piholecheckpoint.core.archive.ArchiveCipher;
import io.piholecheckpoint.core.archive.ArchiveFiles;
import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.gateway.PiholeVersions;
import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.crypto.OpenPgpArchiveCipher;
import io.piholecheckpoint.offsite.file.FileDestination;
import io.piholecheckpoint.offsite.s3.S3Destination;
import io.piholecheckpoint.teleporter.TeleporterInspector;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.S3Proxy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Archives in a store two nodes share, against its real servers: S3Proxy (an S3 API in its own
 * process) and a plain folder, as a mounted share is. Each node has a cache of its own.
 */
class SharedArchiveStoreIT {
  private static final String BUCKET = "checkpoint";
  private static final Instant AT = Instant.parse("2026-12-04T03:00:00Z");
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  @TempDir
  static Path serverDir;
  private static S3Proxy s3;
  @TempDir
  Path dir;
  private final MovableClock clock = new MovableClock(AT);
  /** Where the objects of this test lie on disk: S3Proxy keeps each as a file, as the folder kind does. */
  private Path objects;

  @BeforeAll
  static void startServer() throws Exception {
    s3 = S3Proxy.start(serverDir);
    s3.bucket(BUCKET);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (s3 != null) {
      s3.close();
    }
  }

  private Destination destination(String kind) throws IOException {
    return destination(kind, S3Proxy.SECRET);
  }

  private Destination destination(String kind, String secret) throws IOException {
    String prefix = "primary-" + PREFIXES.incrementAndGet();
    if (kind.equals("file")) {
      objects = Files.createDirectories(dir.resolve("share").resolve(prefix));
      return new FileDestination(new DestinationConfig("STORAGE", objects.toUri(), Map.of(), Duration.ofSeconds(10)));
    }
    objects = s3.data.resolve(BUCKET).resolve(prefix);
    return new S3Destination(new DestinationConfig("STORAGE", URI.create("s3://" + BUCKET + "/" + prefix), Map.of("ENDPOINT", s3.endpoint(),
        "ACCESS_KEY_ID", S3Proxy.ACCESS_KEY_ID, "SECRET_ACCESS_KEY", secret, "PATH_STYLE", "true"), Duration.ofSeconds(10)));
  }

  private SharedArchiveStore node(Destination shared, String name, long cacheBytes) {
    return new SharedArchiveStore(shared, new LocalArchiveStore(dir.resolve(name), new TeleporterInspector(), ArchiveStore.FreeSpace.OF_FILE_STORE),
        cacheBytes, clock);
  }

  @Test
  void anEncryptedArchiveIsStoredAsItIsKeptAndReadPlainByAnotherNode() throws Exception {
    try (Destination shared = destination("s3")) {
      ArchiveCipher cipher = new OpenPgpArchiveCipher("a passphrase of the cluster".toCharArray());
      SharedArchiveStore a = new SharedArchiveStore(shared, new LocalArchiveStore(dir.resolve("a"), new TeleporterInspector(),
          ArchiveStore.FreeSpace.OF_FILE_STORE, cipher), 1 << 30, clock);
      SharedArchiveStore b = new SharedArchiveStore(shared, new LocalArchiveStore(dir.resolve("b"), new TeleporterInspector(),
          ArchiveStore.FreeSpace.OF_FILE_STORE, cipher), 1 << 30, clock);

      Archive archive = keep(a, Fixtures.archiveA());

      assertThat(archive.fileName()).endsWith(".zip.gpg");
      assertThat(Files.readAllBytes(objects.resolve(archive.fileName()))).isEqualTo(Files.readAllBytes(dir.resolve("a").resolve(archive.fileName())))
          .isNotEqualTo(Fixtures.archiveA());
      try (ArchiveStore.PlainArchive plain = b.open(archive.fileName())) {
        assertThat(Files.readAllBytes(plain.path())).isEqualTo(Fixtures.archiveA());
      }
      assertThat(b.verify(archive)).isEmpty();
    }
  }

  private static Archive keep(ArchiveStore store, byte[] bytes) throws IOException {
    try (ArchiveStore.Incoming incoming = store.receive("home", AT, new ByteArrayInputStream(bytes), 0)) {
      return incoming.keep(PiholeVersions.UNKNOWN);
    }
  }

  private List<String> archivesIn(String node) throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve(node))) {
      return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3", "file"})
  void aKeptArchiveIsInTheSharedStoreWithTheHashItWasRecordedWith(String kind) throws Exception {
    try (Destination shared = destination(kind)) {
      Archive archive = keep(node(shared, "a", 1 << 30), Fixtures.archiveA());

      Path object = objects.resolve(archive.fileName());
      assertThat(object).exists();
      assertThat(ArchiveFiles.sha256Of(object)).isEqualTo(archive.sha256());
      assertThat(Files.readAllBytes(object)).isEqualTo(Fixtures.archiveA());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3", "file"})
  void anotherNodeWithAnEmptyCacheReadsWhatOneWrote(String kind) throws Exception {
    try (Destination shared = destination(kind)) {
      Archive archive = keep(node(shared, "a", 1 << 30), Fixtures.archiveA());
      SharedArchiveStore b = node(shared, "b", 1 << 30);

      assertThat(b.fileNames()).containsExactly(archive.fileName());
      try (ArchiveStore.PlainArchive plain = b.open(archive.fileName())) {
        assertThat(Files.readAllBytes(plain.path())).isEqualTo(Fixtures.archiveA());
      }
      assertThat(b.verify(archive)).isEmpty();
      assertThat(archivesIn("b")).containsExactly(archive.fileName());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3", "file"})
  void deletingAnArchiveRemovesTheObjectForEveryNode(String kind) throws Exception {
    try (Destination shared = destination(kind)) {
      SharedArchiveStore a = node(shared, "a", 1 << 30);
      Archive archive = keep(a, Fixtures.archiveA());

      a.delete(archive.fileName());

      assertThat(objects.resolve(archive.fileName())).doesNotExist();
      assertThat(archivesIn("a")).isEmpty();
      SharedArchiveStore b = node(shared, "b", 1 << 30);
      assertThat(b.find(archive.fileName())).isEmpty();
      assertThat(b.fileNames()).isEmpty();
      assertThat(b.verify(archive)).hasValueSatisfying(problem -> assertThat(problem).contains("missing from the shared store"));
    }
  }

  @Test
  void aStoreThatRefusesTheArchiveFailsTheBackupAndLeavesNothing() throws Exception {
    try (Destination shared = destination("s3", "not-the-secret")) {
      SharedArchiveStore a = node(shared, "a", 1 << 30);

      assertThatThrownBy(() -> keep(a, Fixtures.archiveA()))
          .isInstanceOf(ArchiveStorageException.class)
          .hasMessageContaining("could not be stored in the shared store s3://" + BUCKET)
          .hasMessageContaining("nothing was kept")
          .hasMessageNotContaining("not-the-secret");
      assertThat(archivesIn("a")).isEmpty();
      assertThat(objects).doesNotExist();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3", "file"})
  void anObjectChangedInTheStoreFailsItsCheckEvenWhenThisNodeCachedItIntact(String kind) throws Exception {
    try (Destination shared = destination(kind)) {
      SharedArchiveStore a = node(shared, "a", 1 << 30);
      Archive archive = keep(a, Fixtures.archiveA());

      Files.write(objects.resolve(archive.fileName()), Fixtures.archiveB());

      assertThat(a.verify(archive)).hasValueSatisfying(problem -> assertThat(problem).contains("SHA-256"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3", "file"})
  void theCacheKeepsToItsBoundLeastRecentlyReadFirstButNeverWhatWasJustRead(String kind) throws Exception {
    try (Destination shared = destination(kind)) {
      SharedArchiveStore a = node(shared, "a", Fixtures.archiveA().length + 1L);
      Archive first = keep(a, Fixtures.archiveA());
      clock.advance(Duration.ofMinutes(2));
      Archive second = keep(a, Fixtures.archiveA());

      assertThat(archivesIn("a")).containsExactly(second.fileName());

      try (ArchiveStore.PlainArchive plain = a.open(first.fileName())) { // fetched again; the second was read too recently to go
        assertThat(Files.readAllBytes(plain.path())).isEqualTo(Fixtures.archiveA());
      }
      assertThat(archivesIn("a")).containsExactlyInAnyOrder(first.fileName(), second.fileName());
      clock.advance(Duration.ofMinutes(2));
      Archive third = keep(a, Fixtures.archiveA());
      assertThat(archivesIn("a")).containsExactly(third.fileName());
    }
  }
}
