package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.UnitRunTries;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Outsider (medium-high): a second destination at the same server and path, its address spelled another way, was accepted,
 * and its retention deleted the first one's copies. Hosts are compared by what they mean, for every kind of destination.
 */
@AddLifecycleHook(UnitRunTries.class)
class DestinationPlacePropertyTest {
  /** How a URL of each kind names a host: webdav, sftp (host, port, path) and an S3 endpoint (with its bucket). */
  private enum Kind {
    WEBDAV, SFTP, S3
  }

  @Example
  void theOutsidersSpellingsOfTheLoopbackAddressAreTheSamePlace() {
    DestinationPlace first = webdav("webdav+http://127.0.0.1:19836/cp");

    for (String other : List.of("webdav+http://[::ffff:127.0.0.1]:19836/cp", "webdav+http://2130706433:19836/cp",
        "webdav+http://0177.0.0.1:19836/cp", "webdav+http://localhost:19836/cp", "webdav+http://127.0.0.2:19836/cp",
        "webdav+http://[::1]:19836/cp", "WEBDAV+HTTP://LocalHost.:19836/cp/")) {
      assertThat(first.overlaps(webdav(other))).as(other).isTrue();
    }
    assertThat(first.overlaps(webdav("webdav+http://127.0.0.1:19837/cp"))).isFalse();
    assertThat(first.overlaps(webdav("webdav+http://10.0.0.1:19836/cp"))).isFalse();
  }

  @Example
  void namesAreNotResolvedAndIpv6IsReadByItsGroups() {
    assertThat(DestinationPlace.host("NAS.lan.")).isEqualTo("nas.lan");
    assertThat(DestinationPlace.host("[2001:DB8::1]")).isEqualTo(DestinationPlace.host("[2001:db8:0:0:0:0:0:1]"));
    assertThat(DestinationPlace.host("[2001:db8::1]")).isNotEqualTo(DestinationPlace.host("[2001:db8::2]"));
    assertThat(DestinationPlace.host("0x7f.1")).isEqualTo(DestinationPlace.host("127.0.0.1"));
    assertThat(DestinationPlace.host("10.1")).isEqualTo("10.0.0.1");
    assertThat(DestinationPlace.host("1.2.3.256")).as("no address: a name as written").isEqualTo("1.2.3.256");
    assertThat(DestinationPlace.host("08.0.0.1")).as("8 is no octal digit").isEqualTo("08.0.0.1");
  }

  @Property
  void everySpellingOfOneIpv4AddressIsTheSamePlace(@ForAll("ipv4") long address, @ForAll @IntRange(max = 9) int oneWay,
      @ForAll @IntRange(max = 9) int anotherWay, @ForAll Kind kind, @ForAll boolean portWritten) {
    String a = spell(address, oneWay);
    String b = spell(address, anotherWay);

    assertThat(DestinationPlace.host(a)).as("%s and %s", a, b).isEqualTo(DestinationPlace.host(b));
    Assume.that(URI.create("http://" + a + "/").getHost() != null && URI.create("http://" + b + "/").getHost() != null);
    assertThat(place(kind, a, false).overlaps(place(kind, b, portWritten))).as("%s and %s", a, b).isTrue();
  }

  @Property
  void twoIpv4AddressesAreTwoPlaces(@ForAll("ipv4") long one, @ForAll("ipv4") long other, @ForAll @IntRange(max = 9) int oneWay,
      @ForAll @IntRange(max = 9) int anotherWay, @ForAll Kind kind) {
    Assume.that(one != other && !(one >>> 24 == 127 && other >>> 24 == 127)); // every loopback address is one place
    String a = spell(one, oneWay);
    String b = spell(other, anotherWay);

    assertThat(DestinationPlace.host(a)).as("%s and %s", a, b).isNotEqualTo(DestinationPlace.host(b));
    Assume.that(URI.create("http://" + a + "/").getHost() != null && URI.create("http://" + b + "/").getHost() != null);
    assertThat(place(kind, a, false).overlaps(place(kind, b, false))).as("%s and %s", a, b).isFalse();
  }

  @Property
  void anIpv6AddressWithOrWithoutItsZerosInAnyCaseIsTheSamePlace(@ForAll("groups") int[] groups, @ForAll Kind kind,
      @ForAll boolean portWritten) {
    String full = "[" + String.join(":", java.util.Arrays.stream(groups).mapToObj(g -> "%04X".formatted(g)).toList()) + "]";
    String compressed = "[" + compress(groups) + "]";

    assertThat(place(kind, full, portWritten).overlaps(place(kind, compressed, false))).as("%s and %s", full, compressed).isTrue();
  }

  @Property
  void aNameInAnyCaseWithOrWithoutTheRootsDotIsTheSamePlaceAndAnotherNameIsNot(@ForAll("names") String name, @ForAll Kind kind,
      @ForAll boolean portWritten) {
    assertThat(place(kind, name, false).overlaps(place(kind, name.toUpperCase(Locale.ROOT) + ".", portWritten))).isTrue();
    assertThat(place(kind, name, false).overlaps(place(kind, "x" + name, false))).isFalse();
  }

  /** Addresses whose first byte is 1 to 223: none of them an IPv4-compatible :: or ::1. */
  @Provide
  Arbitrary<Long> ipv4() {
    return Arbitraries.longs().between(0x01000000L, 0xdfffffffL);
  }

  @Provide
  Arbitrary<int[]> groups() {
    return Arbitraries.integers().between(0, 0xffff).edgeCases(e -> e.add(0)).array(int[].class).ofSize(8)
        .filter(g -> g[0] != 0); // not :: nor ::1 nor an IPv4 address written as IPv6, which are the properties above
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12).map(n -> n + ".lan");
  }

  /** The address written the {@code way}-th of ten ways: forms the C library, curl and URLs take. */
  private static String spell(long v, int way) {
    int a = (int) (v >>> 24);
    int b = (int) (v >>> 16 & 0xff);
    int c = (int) (v >>> 8 & 0xff);
    int d = (int) (v & 0xff);
    return switch (way) {
      case 0 -> a + "." + b + "." + c + "." + d;
      case 1 -> Long.toString(v);
      case 2 -> "0%o.0%o.0%o.0%o".formatted(a, b, c, d);
      case 3 -> "0x%x.0x%x.0x%x.0x%x".formatted(a, b, c, d);
      case 4 -> a + "." + b + "." + (v & 0xffff);
      case 5 -> "0x%x.0x%x".formatted(a, v & 0xffffff);
      case 6 -> "[::ffff:" + a + "." + b + "." + c + "." + d + "]";
      case 7 -> "[::FFFF:%X:%X]".formatted(v >>> 16, v & 0xffff);
      case 8 -> "[0:0:0:0:0:ffff:" + a + "." + b + "." + c + "." + d + "]";
      default -> "[::" + a + "." + b + "." + c + "." + d + "]";
    };
  }

  /** The groups with the first longest run of two or more zeros written as ::, in lower case. */
  private static String compress(int[] groups) {
    int start = -1;
    int length = 0;
    for (int i = 0; i < 8; i++) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > length && j - i >= 2) {
        start = i;
        length = j - i;
      }
    }
    List<String> hex = java.util.Arrays.stream(groups).mapToObj(Integer::toHexString).toList();
    if (start < 0) {
      return String.join(":", hex);
    }
    return String.join(":", hex.subList(0, start)) + "::" + String.join(":", hex.subList(start + length, 8));
  }

  /** A destination of the kind at the host, its default port written out or not, in one folder (or bucket and prefix). */
  private static DestinationPlace place(Kind kind, String host, boolean portWritten) {
    return switch (kind) {
      case WEBDAV -> webdav("webdav+https://" + host + (portWritten ? ":443" : "") + "/cp");
      case SFTP -> DestinationPlace.of(URI.create("sftp://backup@" + host + (portWritten ? ":22" : "") + "/srv/cp"), "", "OFFSITE_X_URL");
      case S3 -> DestinationPlace.of(URI.create("s3://bucket/cp"), "http://" + host + (portWritten ? ":80" : ""), "OFFSITE_X_URL");
    };
  }

  private static DestinationPlace webdav(String url) {
    return DestinationPlace.of(URI.create(url), "", "OFFSITE_X_URL");
  }
}
