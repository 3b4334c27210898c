package io.piholecheckpoint.offsite.s3;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * The S3 client's HTTP client, whose closing cuts off the requests under way and fails those after it
 * at once. The JDK's URLConnection, which sends them, does not end on an interrupt: a request to a
 * store that took the connection and never answers would hold a stopping app (or a destination
 * changed in Settings) until its socket's timeout, and then the SDK would try it again. A request
 * still connecting when it is closed cannot be reached yet; it ends at its timeout, as before.
 */
final class AbortOnCloseHttpClient implements SdkHttpClient {
  private final SdkHttpClient http;
  private final Set<ExecutableHttpRequest> underWay = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  AbortOnCloseHttpClient(SdkHttpClient http) {
    this.http = http;
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    ExecutableHttpRequest prepared = http.prepareRequest(request);
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() throws IOException {
        underWay.add(prepared);
        try {
          if (closed) { // after the add: a close between the two sees the request, or the request sees the close
            throw new IOException("the S3 client was closed: the destination was changed or deleted, or Pi-hole Checkpoint is stopping");
          }
          return prepared.call();
        } finally {
          underWay.remove(prepared);
        }
      }

      @Override
      public void abort() {
        prepared.abort();
      }
    };
  }

  @Override
  public String clientName() {
    return http.clientName();
  }

  @Override
  public void close() {
    closed = true;
    underWay.forEach(ExecutableHttpRequest::abort);
    http.close();
  }
}
