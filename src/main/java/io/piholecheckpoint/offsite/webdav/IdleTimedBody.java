package io.piholecheckpoint.offsite.webdav;

import io.piholecheckpoint.core.offsite.remote.DestinationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * An answer's body as a stream that fails when the server sends nothing for a whole timeout:
 * java.net.http bounds only the wait for the headers, and its own body stream blocks for ever on
 * a server that stalls in the middle. One batch of buffers is asked for at a time, so the heap
 * holds a few network buffers whatever the body's length.
 */
final class IdleTimedBody extends InputStream implements HttpResponse.BodySubscriber<InputStream> {
  private static final Object END = new Object();
  private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
  private final Duration idle;
  private final Function<IOException, DestinationException> failure;
  private volatile Flow.Subscription subscription;
  private Iterator<ByteBuffer> batch = List.<ByteBuffer>of().iterator();
  private ByteBuffer current = ByteBuffer.allocate(0);
  private boolean ended;
  private volatile boolean closed;

  /** @param failure what a broken or stalled body is reported as ({@code what} failed, and why) */
  IdleTimedBody(Duration idle, Function<IOException, DestinationException> failure) {
    this.idle = idle;
    this.failure = failure;
  }

  @Override
  public CompletionStage<InputStream> getBody() {
    return CompletableFuture.completedStage(this);
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (closed) {
      s.cancel();
    } else {
      s.request(1);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    arrived.add(buffers);
  }

  @Override
  public void onError(Throwable t) {
    arrived.add(t);
  }

  @Override
  public void onComplete() {
    arrived.add(END);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (!current.hasRemaining()) {
      if (batch.hasNext()) {
        current = batch.next();
      } else if (ended || !nextBatch()) {
        return -1;
      }
    }
    int n = Math.min(len, current.remaining());
    current.get(b, off, n);
    return n;
  }

  private boolean nextBatch() throws IOException {
    Object next;
    try {
      next = arrived.poll(idle.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading from the WebDAV server");
    }
    if (next == null) {
      close();
      throw failure.apply(new java.net.http.HttpTimeoutException("no data for " + idle.toSeconds() + " s"));
    }
    if (next == END) {
      ended = true;
      return false;
    }
    if (next instanceof Throwable t) {
      ended = true;
      throw failure.apply(t instanceof IOException io ? io : new IOException(t));
    }
    @SuppressWarnings("unchecked")
    List<ByteBuffer> buffers = (List<ByteBuffer>) next;
    batch = buffers.iterator();
    subscription.request(1);
    return true;
  }

  @Override
  public void close() {
    ended = true;
    closed = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel(); // the connection is closed rather than drained: an unread rest may be large
    }
    arrived.clear();
  }
}
