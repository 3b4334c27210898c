package io.piholecheckpoint.core.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.schedule.FireTimes;
import io.piholecheckpoint.testing.TestInstances;
import io.piholecheckpoint.testing.UnitRunTries;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Outsider 34: {@code PIHOLE_HOME_URL=HTTP://PI.LAN/} was kept and shown as written. Scheme and host
 * are case-insensitive (RFC 3986), the path is not: whichever way an address's scheme and host are
 * cased, the form (and so the API, which reads the same form) and the environment store it alike,
 * in lower case, with its path as typed.
 */
@AddLifecycleHook(UnitRunTries.class)
class UrlCasePropertyTest {
  private static final FireTimes QUARTZ = TestInstances.fireTimes();

  record Url(String scheme, String host, String port, String path) {
    String written() {
      return scheme + "://" + host + port + path;
    }
  }

  @Property(tries = 300)
  void anyCaseOfSchemeAndHostIsStoredTheSame(@ForAll("urls") Url url, @ForAll long seed) {
    String variant = recased(url.scheme(), seed) + "://" + recased(url.host(), seed >>> 7) + url.port() + url.path();
    String stored = url.scheme().toLowerCase(java.util.Locale.ROOT) + "://" + url.host().toLowerCase(java.util.Locale.ROOT) + url.port()
        + url.path().replaceAll("/+$", "");

    assertThat(form(variant).validate(QUARTZ).settings().url()).as(variant).isEqualTo(stored);
    EnvironmentSettings.Read read = EnvironmentSettings.check(new InstanceVariables("HOME", Map.of("URL", variant), Optional.empty()), QUARTZ);
    assertThat(read.problems()).as(variant).isEmpty();
    assertThat(read.definition().url()).as(variant).isEqualTo(stored);
  }

  @Provide
  Arbitrary<Url> urls() {
    Arbitrary<String> scheme = Arbitraries.of("http", "https");
    Arbitrary<String> label = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789").ofMinLength(1).ofMaxLength(12);
    // a letter first: labels of digits alone make a numeric host, which has rules of its own
    Arbitrary<String> host = Arbitraries.oneOf(label.map(l -> "p" + l).list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l)),
        Arbitraries.of("pi.lan", "PI.HOLE.", "192.168.1.2", "[fd00::2]", "[FD00::ABCD]", "localhost", "pihole.xn--bcher-kva.example"));
    Arbitrary<String> port = Arbitraries.of("", ":8080", ":443");
    Arbitrary<String> path = Arbitraries.of("", "/", "/admin", "/Admin/", "/PiHole/Admin", "/a/B/c");
    return Combinators.combine(scheme, host, port, path).as(Url::new);
  }

  /** {@code text} with each letter's case chosen by the bits of {@code seed}. */
  private static String recased(String text, long seed) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append((seed >>> (i % 64) & 1) == 0 ? Character.toLowerCase(c) : Character.toUpperCase(c));
    }
    return out.toString();
  }

  private static InstanceForm form(String url) {
    InstanceForm b = InstanceForm.blank();
    return new InstanceForm("Home", url, "pw", null, b.tlsMode(), b.caPem(), b.fingerprint(), b.timeoutSeconds(), "daily",
        b.time(), b.day(), b.cron(), b.maxBackups(), b.maxAgeDays(), b.keepDaily(), b.keepWeekly(), b.keepMonthly(), false, true);
  }
}
