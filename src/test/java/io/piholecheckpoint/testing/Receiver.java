package io.piholecheckpoint.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * A local HTTP endpoint standing in for a notification service or monitoring site: records
 * every request and answers with scripted statuses (200 once the script runs out), or hangs.
 */
public final class Receiver implements AutoCloseable {
  /** One request as it arrived. */
  public record Request(String method, String path, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new ArrayList<>();
  private final Deque<int[]> script = new ArrayDeque<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile boolean hang;

  public Receiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "receiver");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = ex.getRequestURI().getRawPath() + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
      synchronized (requests) {
        requests.add(new Request(ex.getRequestMethod(), path, Map.copyOf(ex.getRequestHeaders()), body));
      }
      if (hang) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      int[] answer;
      synchronized (script) {
        answer = script.isEmpty() ? new int[] {200, -1} : script.poll();
      }
      if (answer[1] >= 0) {
        ex.getResponseHeaders().set("Retry-After", Integer.toString(answer[1]));
      }
      byte[] out = "{}".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(answer[0], out.length);
      ex.getResponseBody().write(out);
      ex.close();
    });
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The next answers, in order; e.g. 503, 503 (then 200). */
  public void answer(int... statuses) {
    synchronized (script) {
      for (int s : statuses) {
        script.add(new int[] {s, -1});
      }
    }
  }

  public void answerTooManyRequests(int retryAfterSeconds) {
    synchronized (script) {
      script.add(new int[] {429, retryAfterSeconds});
    }
  }

  /** Requests are taken but not answered until {@link #close}. */
  public void hang() {
    hang = true;
  }

  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
  }
}
