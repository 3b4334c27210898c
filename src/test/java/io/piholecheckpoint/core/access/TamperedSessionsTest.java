package io.piholecheckpoint.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.MovableClock;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/** No cookie but the one handed out opens a session: any other character anywhere, or any other value of the cookie's shape, is refused. */
class TamperedSessionsTest {
  private final Sessions sessions = new Sessions(new MapStore(), new MovableClock(Instant.parse("2026-12-04T02:00:00Z")), Duration.ofMinutes(30),
      new SecureRandom(), () -> "key".getBytes(StandardCharsets.UTF_8));
  private final String id = sessions.start();

  @Property
  void aCookieWithOneCharacterChangedIsRefused(@ForAll @IntRange(min = 0, max = 42) int at,
                                              @ForAll @CharRange(from = 'a', to = 'z') @CharRange(from = 'A', to = 'Z')
                                              @CharRange(from = '0', to = '9') @Chars({'-', '_'}) char c) {
    String tampered = id.substring(0, at) + c + id.substring(at + 1);

    assertThat(sessions.touch(tampered)).isEqualTo(tampered.equals(id));
  }

  @Property
  void aMadeUpCookieOfTheSameShapeIsRefused(@ForAll @StringLength(43) @CharRange(from = 'a', to = 'z') @CharRange(from = 'A', to = 'Z')
                                            @CharRange(from = '0', to = '9') @Chars({'-', '_'}) String forged) {
    assertThat(sessions.touch(forged)).isEqualTo(forged.equals(id));
  }

  @Property
  void aCookieSignedOutIsRefusedHoweverItIsReplayed(@ForAll @IntRange(min = 0, max = 3) int replays) {
    String other = sessions.start();
    sessions.end(other);

    for (int i = 0; i <= replays; i++) {
      assertThat(sessions.touch(other)).isFalse();
    }
    assertThat(sessions.touch(id)).isTrue();
  }

  /** The store's contract, in a map: the database's is tested in SessionsTest. */
  private static final class MapStore implements SessionStore {
    private final Map<String, Instant> seen = new ConcurrentHashMap<>();

    @Override
    public void insert(String idHash, Instant at) {
      seen.put(idHash, at);
    }

    @Override
    public Optional<Instant> lastSeen(String idHash) {
      return Optional.ofNullable(seen.get(idHash));
    }

    @Override
    public void seen(String idHash, Instant at) {
      seen.computeIfPresent(idHash, (k, v) -> at);
    }

    @Override
    public void delete(String idHash) {
      seen.remove(idHash);
    }

    @Override
    public int deleteIdleSince(Instant cutoff) {
      int before = seen.size();
      seen.values().removeIf(at -> at.isBefore(cutoff));
      return before - seen.size();
    }

    @Override
    public String sharedSecret(String name, String generated, Instant at) {
      return generated;
    }
  }
}
