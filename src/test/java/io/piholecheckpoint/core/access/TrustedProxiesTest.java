package io.piholecheckpoint.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
  private final TrustedProxies proxies = TrustedProxies.parse("172.16.0.0/12, 10.0.0.1, fd00::/8");

  @Test
  void matchesAddressesInsideTheRangesOnly() {
    assertThat(proxies.trusts("172.20.1.2")).isTrue();
    assertThat(proxies.trusts("172.32.0.1")).isFalse();
    assertThat(proxies.trusts("10.0.0.1")).isTrue();
    assertThat(proxies.trusts("10.0.0.2")).isFalse();
    assertThat(proxies.trusts("fd12::5")).isTrue();
    assertThat(proxies.trusts("2001:db8::1")).isFalse();
    assertThat(proxies.trusts("not-an-address")).isFalse();
  }

  @Test
  void saysWhenARangeHoldsEveryAddress() {
    assertThat(proxies.trustsEveryAddress()).isFalse();
    assertThat(TrustedProxies.parse("").trustsEveryAddress()).isFalse();
    assertThat(TrustedProxies.parse("10.0.0.1, 0.0.0.0/0").trustsEveryAddress()).isTrue();
    assertThat(TrustedProxies.parse("::/0").trustsEveryAddress()).isTrue();
  }

  @Test
  void ignoresForwardedHeadersFromAnUntrustedPeer() {
    TrustedProxies.Client client = proxies.resolve("192.168.1.50", false, "1.2.3.4", "https");

    assertThat(client).isEqualTo(new TrustedProxies.Client("192.168.1.50", false));
  }

  @Test
  void believesATrustedProxyAboutTheClientItAppended() {
    TrustedProxies.Client client = proxies.resolve("172.18.0.2", false, "192.168.1.50", "https");

    assertThat(client).isEqualTo(new TrustedProxies.Client("192.168.1.50", true));
  }

  @Test
  void takesTheRightMostUntrustedHopSoAClientCannotChooseItsAddress() {
    // the client sent "X-Forwarded-For: 6.6.6.6"; the proxy appended the real address
    TrustedProxies.Client client = proxies.resolve("172.18.0.2", false, "6.6.6.6, 192.168.1.50", null);

    assertThat(client.address()).isEqualTo("192.168.1.50");
    assertThat(proxies.resolve("172.18.0.2", false, "192.168.1.50, 10.0.0.1", null).address()).isEqualTo("192.168.1.50");
  }

  @Test
  void refusesWhatIsNotAnAddressOrRangeWithoutLookingItUp() {
    assertThatThrownBy(() -> TrustedProxies.parse("proxy.lan")).hasMessageContaining("'proxy.lan' is not an IP address or CIDR");
    assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/33")).hasMessageContaining("10.0.0.0/33");
    assertThatThrownBy(() -> TrustedProxies.parse("300.1.1.1")).hasMessageContaining("300.1.1.1");
    assertThat(TrustedProxies.parse(" ").trusts("127.0.0.1")).isFalse();
  }
}
