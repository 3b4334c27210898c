package io.piholecheckpoint.notify;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.units.UrlText;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dead-man's switch pings for scheduled backups ({@code PIHOLE_<P>_PING_URL}), so an outside
 * service notices when backups stop, Pi-hole Checkpoint itself included. healthchecks.io style:
 * {@code <url>/start} when the run starts, {@code <url>} on success, {@code <url>/fail} on failure
 * (with the error as the body). Uptime Kuma push URLs ({@code /api/push/}) get {@code status=up}
 * or {@code status=down&msg=…} instead. Sent in order on a thread of their own, so a slow
 * monitoring service never delays a backup.
 */
public final class DeadManPings implements Events {
  private static final Logger log = LoggerFactory.getLogger(DeadManPings.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Function<PiholeInstance, Optional<String>> pingUrl;
  private final Outbound outbound;
  private final ExecutorService sender;
  private final Set<Long> started = ConcurrentHashMap.newKeySet();

  /** @param sender one thread, so that a run's start is sent before its end */
  public DeadManPings(Function<PiholeInstance, Optional<String>> pingUrl, Outbound outbound, ExecutorService sender) {
    this.pingUrl = pingUrl;
    this.outbound = outbound;
    this.sender = sender;
  }

  @Override
  public void backupStarted(PiholeInstance instance, Backup.Trigger trigger) {
    if (trigger != Backup.Trigger.SCHEDULED) {
      return;
    }
    pingUrl.apply(instance).ifPresent(url -> {
      started.add(instance.id());
      if (!kuma(url)) {
        ping(instance, withPath(url, "/start"), "");
      }
    });
  }

  @Override
  public void backupFinished(PiholeInstance instance, Backup backup, Duration took) {
    if (!started.remove(instance.id())) {
      return;
    }
    pingUrl.apply(instance).ifPresent(url -> {
      if (kuma(url)) {
        ping(instance, withQuery(url, backup.successful() ? "status=up&msg=OK" : "status=down&msg="
            + URLEncoder.encode(Outbound.abbreviate(String.valueOf(backup.errorMessage())), StandardCharsets.UTF_8)), null);
      } else {
        ping(instance, backup.successful() ? url : withPath(url, "/fail"), backup.successful() ? "" : String.valueOf(backup.errorMessage()));
      }
    });
  }

  private void ping(PiholeInstance instance, String url, String body) {
    HttpRequest.Builder request;
    try {
      request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).header("User-Agent", "pihole-checkpoint");
    } catch (IllegalArgumentException e) {
      // its message quotes the URL whole, token and all: only the host and the reason are told
      log.warn("Dead-man ping for '{}' to {} not sent: {} — check {}PING_URL", instance.name(), UrlText.redacted(url),
          UrlText.httpProblem(url).orElse("it cannot be used as an address"), instance.settingsPrefix());
      return;
    }
    HttpRequest built = (body == null ? request.GET() : request.POST(HttpRequest.BodyPublishers.ofString(body))).build();
    sender.execute(() -> {
      Outbound.Result result = outbound.send(built);
      if (!result.delivered()) {
        log.warn("Dead-man ping for '{}' to {} failed after {} attempt(s): {} — check {}PING_URL", instance.name(), UrlText.redacted(url),
            result.attempts(), result.error(), instance.settingsPrefix());
      }
    });
  }

  private static boolean kuma(String url) {
    return url.contains("/api/push/");
  }

  /** "/start" goes before any query string. */
  static String withPath(String url, String suffix) {
    int q = url.indexOf('?');
    String base = q < 0 ? url : url.substring(0, q);
    base = HttpProvider.withoutTrailingSlash(base);
    return base + suffix + (q < 0 ? "" : url.substring(q));
  }

  /** Replaces the query of a Kuma push URL. */
  static String withQuery(String url, String query) {
    int q = url.indexOf('?');
    return (q < 0 ? url : url.substring(0, q)) + "?" + query;
  }
}
