package io.piholecheckpoint.offsite.webdav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.offsite.remote.DestinationException;
import io.piholecheckpoint.core.offsite.remote.DestinationException.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The body stream as java.net.http drives it: a subscription, batches of buffers, an end or an error. */
class IdleTimedBodyTest {
  private final AtomicLong requested = new AtomicLong();
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final IdleTimedBody body = new IdleTimedBody(Duration.ofMillis(200),
      e -> new DestinationException(e instanceof java.net.http.HttpTimeoutException ? Problem.TIMEOUT : Problem.UNREACHABLE, "reading: " + e.getMessage(), e));

  IdleTimedBodyTest() {
    body.onSubscribe(new Flow.Subscription() {
      @Override
      public void request(long n) {
        requested.addAndGet(n);
      }

      @Override
      public void cancel() {
        cancelled.set(true);
      }
    });
  }

  @Test
  void readsWhatArrivesAndAsksForOneBatchAtATime() throws Exception {
    body.onNext(List.of(bytes("ab"), bytes("c")));
    assertThat(requested).hasValue(1);

    assertThat(body.read(new byte[10], 0, 10)).isEqualTo(2);
    assertThat(requested).hasValue(2);
    body.onNext(List.of(bytes("de")));
    body.onComplete();

    assertThat(new String(body.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("cde");
    assertThat(body.read()).isEqualTo(-1);
  }

  @Test
  void aServerThatStallsInTheMiddleTimesOutAndTheDownloadIsCancelled() throws Exception {
    body.onNext(List.of(bytes("first part")));
    InputStream in = body;
    assertThat(in.readNBytes(10)).hasSize(10);

    assertThatThrownBy(in::read).isInstanceOfSatisfying(DestinationException.class, e -> assertThat(e.problem()).isEqualTo(Problem.TIMEOUT));
    assertThat(cancelled).isTrue();
  }

  @Test
  void aBrokenConnectionIsTheCallersFailureNotAnEnd() {
    body.onNext(List.of(bytes("x")));
    body.onError(new IOException("EOF reached while reading"));

    assertThatThrownBy(body::readAllBytes).isInstanceOfSatisfying(DestinationException.class,
        e -> assertThat(e.problem()).isEqualTo(Problem.UNREACHABLE));
  }

  @Test
  void closingCancelsTheRestOfTheDownload() {
    body.close();

    assertThat(cancelled).isTrue();
  }

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
  }
}
