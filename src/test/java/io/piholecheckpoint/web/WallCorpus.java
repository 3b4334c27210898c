package io.piholecheckpoint.web;

import io.piholecheckpoint.testing.RawHttp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Every route of the app, each written every way a client can write it on the wire (dot segments
 * after each open prefix, encoded dots and separators, path parameters, backslashes, doubled
 * slashes, trailing dots, case, absolute-form targets, other methods), sent without credentials
 * over raw sockets. What a guarded route may answer: a refusal (4xx), the redirect to sign-in or,
 * for a page written with a trailing slash, the redirect to the page; never a byte of its data.
 * No route may answer 5xx.
 */
final class WallCorpus {
  static final String CANARY = "Canary-7f3a9";
  private static final List<String> OPEN_PREFIXES = List.of("/static", "/static/app.js", "/health", "/login", "/metrics");
  private static final List<String> EVERY_METHOD = List.of("GET", "HEAD", "OPTIONS", "TRACE", "POST", "PUT", "DELETE", "PATCH");

  /** One request as a client sends it; {@code guarded}: the route it aims at needs credentials. */
  record Probe(String method, String target, String host, boolean guarded) {
    String describe() {
      return method + " " + target + (host == null ? " (no Host)" : " Host: " + host);
    }
  }

  /** A route of the app: method and path; {@code guarded} unless it is in the open set. */
  record Route(String method, String path, boolean guarded) {
  }

  private WallCorpus() {
  }

  /** Routes for instance {@code i} with backup {@code b}. */
  static List<Route> routes(long i, long b) {
    List<Route> routes = new ArrayList<>();
    for (String p : List.of("/", "/settings", "/instances/new", "/instances/" + i, "/instances/" + i + "/edit", "/backups/" + b,
        "/backups/" + b + "/download", "/api/v1/instances", "/api/v1/instances/" + i, "/api/v1/instances/" + i + "/backups",
        "/api/v1/instances/" + i + "/restores", "/api/v1/backups/" + b, "/api/v1/backups/" + b + "/contents",
        "/api/v1/backups/" + b + "/verify", "/api/v1/notifications", "/api/v1/offsite", "/api/v1/schedules/preview?cron=30+2+*+*+*", "/metrics", "/error", "/sync")) {
      routes.add(new Route("GET", p, true));
    }
    routes.add(new Route("POST", "/api/v1/instances", true));
    routes.add(new Route("POST", "/api/v1/instances/" + i + "/backups", true));
    routes.add(new Route("POST", "/api/v1/backups/" + b + "/pin", true));
    routes.add(new Route("POST", "/api/v1/backups/" + b + "/restore", true));
    routes.add(new Route("DELETE", "/api/v1/backups/" + b, true));
    routes.add(new Route("DELETE", "/api/v1/instances/" + i, true));
    routes.add(new Route("POST", "/instances/" + i + "/delete", true));
    routes.add(new Route("POST", "/instances", true));
    routes.add(new Route("POST", "/api/v1/offsite/NAS/test", true));
    routes.add(new Route("POST", "/settings/offsite/NAS/test", true));
    for (String action : List.of("adopt", "check")) {
      routes.add(new Route("POST", "/api/v1/offsite/NAS/" + action, true));
      routes.add(new Route("POST", "/settings/offsite/NAS/" + action, true));
    }
    routes.add(new Route("POST", "/sync/home/run", true));
    for (String p : List.of("/health", "/static/app.js", "/login")) {
      routes.add(new Route("GET", p, false));
    }
    return routes;
  }

  static List<Probe> probes(List<Route> routes, int port) {
    List<Probe> probes = new ArrayList<>();
    String host = "127.0.0.1:" + port;
    for (Route route : routes) {
      List<String> targets = targets(route.path(), port);
      for (String target : targets) {
        probes.add(new Probe(route.method(), target, host, route.guarded()));
      }
      for (String target : targets.subList(0, 4)) {
        for (String method : EVERY_METHOD) {
          probes.add(new Probe(method, target, host, route.guarded()));
        }
        probes.add(new Probe(route.method(), target, "localhost:" + port, route.guarded()));
        probes.add(new Probe(route.method(), target, null, route.guarded()));
      }
    }
    return probes;
  }

  /** {@code path} written every way; the first four are the plain path and the classic traversals. */
  static List<String> targets(String path, int port) {
    String rest = path.substring(1);
    List<String> t = new ArrayList<>(List.of(path, "/static/../" + rest, "/static/%2e%2e/" + rest, "http://127.0.0.1:" + port + path));
    for (String open : OPEN_PREFIXES) {
      for (String climb : List.of("/../", "/%2e%2e/", "/%2E%2E/", "/.%2e/", "/%2e./", "/..;/", ";a=b/../", "/..%2f", "%2f..%2f",
          "/..\\", "/..%5c", "/./../", "//../", "/%252e%252e/", "/..%00/", "/..%c0%af", "/..%ef%bc%8f", "/../../", "/./%2e%2e/")) {
        t.add(open + climb + rest);
      }
    }
    int last = path.lastIndexOf('/');
    t.addAll(List.of("/." + path, "/" + path, path.substring(0, last) + "/" + path.substring(last), path + "/.", path + "/",
        path + ".", path + "..", path + "%20", path + "%2e", path + "/%2e", path + ";jsessionid=0123456789", path + ";",
        path + "%2f", path + "%00", path + "\\", path + "%5c", path.toUpperCase(Locale.ROOT), capitalised(path),
        path + "?next=/static/", path + "#/static/", path + "/..%2f", encodedFirstLetter(path), path + "/static/..",
        "http://127.0.0.1:" + port + "/static/../" + rest, "http://evil.example" + path, "HTTP://127.0.0.1:" + port + path,
        "//127.0.0.1:" + port + path, "*"));
    return t;
  }

  /** Every probe that answered what it must not, described; empty if the wall holds. */
  static List<String> breaches(List<Probe> probes, int port) throws Exception {
    ConcurrentLinkedQueue<String> breaches = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (Probe probe : probes) {
        done.add(pool.submit(() -> {
          String problem = problem(probe, send(probe, port));
          if (problem != null) {
            breaches.add(probe.describe() + " -> " + problem);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return List.copyOf(breaches);
  }

  private static RawHttp.Answer send(Probe probe, int port) throws Exception {
    String body = List.of("POST", "PUT", "PATCH", "DELETE").contains(probe.method()) ? "{\"name\":\"Evil\",\"url\":\"http://127.0.0.1\"}" : "";
    String head = probe.method() + " " + probe.target() + " HTTP/1.1\n" + (probe.host() == null ? "" : "Host: " + probe.host() + "\n")
        + "Connection: close" + (body.isEmpty() ? "" : "\nContent-Type: application/json\nContent-Length: " + body.length());
    return RawHttp.exchange(port, head, body);
  }

  static String problem(Probe probe, RawHttp.Answer answer) {
    if (answer.status() >= 500) {
      return "answered " + answer.status();
    }
    if (!probe.guarded()) {
      return null;
    }
    if (answer.status() >= 200 && answer.status() < 300) {
      return "answered " + answer.status() + " without credentials";
    }
    if (answer.status() >= 300 && answer.status() < 400 && !answer.location().matches("(https?://[^/]+)?/login\\?next=.*")
        && !answer.location().equals(withoutTrailingSlash(probe.target()))) {
      return "redirected to " + answer.location() + " instead of sign-in";
    }
    if (answer.body().contains(CANARY) || answer.body().contains("PK\u0003\u0004") || answer.body().contains("# TYPE")) {
      return "its body carries data: " + answer.body().substring(0, Math.min(200, answer.body().length()));
    }
    return null;
  }

  /**
   * The one other redirect allowed: a page's address written with a trailing slash (as 1.x wrote
   * them) to the address, on this server, with the query; it leads to the wall.
   */
  private static String withoutTrailingSlash(String target) {
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    if (!path.matches("(/[A-Za-z0-9_-]+)+/")) {
      return null; // a path written any other way must never be redirected, only refused
    }
    return path.substring(0, path.length() - 1) + (q < 0 ? "" : target.substring(q));
  }

  private static String capitalised(String path) {
    return path.length() < 2 ? path : "/" + Character.toUpperCase(path.charAt(1)) + path.substring(2);
  }

  private static String encodedFirstLetter(String path) {
    return path.length() < 2 ? "/%2e" : "/%" + Integer.toHexString(path.charAt(1)) + path.substring(2);
  }
}
