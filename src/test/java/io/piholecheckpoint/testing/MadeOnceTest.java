package io.piholecheckpoint.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An archive is made once per key and maker, and whoever asks, even two at once, gets it whole. */
class MadeOnceTest {
  private static final byte[] BYTES = new byte[3 * 1024 * 1024];

  @TempDir
  Path folder;

  private final AtomicInteger made = new AtomicInteger();

  private Path make(Path work) throws Exception {
    made.incrementAndGet();
    return Files.write(work.resolve("a.zip"), BYTES);
  }

  @Test
  void makesAnArchiveOnceAndHandsOutTheSameFileAfter() throws Exception {
    Path first = MadeOnce.archive(folder, "a-10", LargeArchives.class, this::make);
    Path again = MadeOnce.archive(folder, "a-10", LargeArchives.class, this::make);

    assertThat(again).isEqualTo(first);
    assertThat(made).hasValue(1);
    assertThat(Files.readAllBytes(first)).isEqualTo(BYTES);
    assertThat(filesIn(folder)).containsExactly(first);
  }

  @Test
  void anotherKeyOrAnotherMakerIsAnotherArchive() throws Exception {
    Path a = MadeOnce.archive(folder, "a-10", LargeArchives.class, this::make);
    Path b = MadeOnce.archive(folder, "a-20", LargeArchives.class, this::make);
    Path c = MadeOnce.archive(folder, "a-10", HostileArchives.class, this::make);

    assertThat(List.of(a, b, c)).doesNotHaveDuplicates();
    assertThat(made).hasValue(3);
  }

  @Test
  void twoMakingAtOnceEachGetTheWholeArchiveAndLeaveNoWorkBehind() throws Exception {
    CountDownLatch bothMaking = new CountDownLatch(2);
    ExecutorService two = Executors.newFixedThreadPool(2);
    try {
      List<Future<Path>> asked = two.invokeAll(List.of(() -> askWhenBothMake(bothMaking), () -> askWhenBothMake(bothMaking)));

      assertThat(made).as("both made it: neither found it made").hasValue(2);
      for (Future<Path> archive : asked) {
        assertThat(Files.readAllBytes(archive.get())).isEqualTo(BYTES);
      }
      assertThat(filesIn(folder)).containsExactly(asked.get(0).get());
    } finally {
      two.shutdownNow();
    }
  }

  private Path askWhenBothMake(CountDownLatch bothMaking) throws Exception {
    return MadeOnce.archive(folder, "a-10", LargeArchives.class, work -> {
      bothMaking.countDown();
      assertThat(bothMaking.await(10, TimeUnit.SECONDS)).isTrue();
      return make(work);
    });
  }

  private static List<Path> filesIn(Path folder) throws Exception {
    try (Stream<Path> all = Files.walk(folder)) {
      return all.filter(p -> !p.equals(folder)).toList();
    }
  }
}
