package io.piholecheckpoint.core.access;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The reverse proxies (TRUSTED_PROXIES, CIDRs) whose {@code X-Forwarded-For} and
 * {@code X-Forwarded-Proto} are believed. From anyone else those headers are ignored: a client
 * could otherwise pick a new address for every password guess.
 */
public final class TrustedProxies {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /** Who is on the other end, and whether they reached us over HTTPS. */
  public record Client(String address, boolean secure) {
  }

  private record Range(byte[] network, int prefix) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int bits = address.length * 8;
      BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftRight(prefix).not();
      return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
    }
  }

  private final List<Range> ranges;

  private TrustedProxies(List<Range> ranges) {
    this.ranges = ranges;
  }

  /** Comma-separated addresses or CIDRs, e.g. {@code 172.16.0.0/12, ::1}. */
  public static TrustedProxies parse(String list) {
    List<Range> ranges = new ArrayList<>();
    for (String entry : list.split(",")) {
      String e = entry.trim();
      if (e.isEmpty()) {
        continue;
      }
      int slash = e.indexOf('/');
      byte[] network = literal(slash < 0 ? e : e.substring(0, slash));
      int prefix = network == null ? -1 : network.length * 8;
      if (network != null && slash >= 0) {
        try {
          prefix = Integer.parseInt(e.substring(slash + 1));
        } catch (NumberFormatException ex) {
          prefix = -1;
        }
      }
      if (network == null || prefix < 0 || prefix > network.length * 8) {
        throw new IllegalArgumentException("'" + e + "' is not an IP address or CIDR range (such as 172.16.0.0/12)");
      }
      ranges.add(new Range(network, prefix));
    }
    return new TrustedProxies(List.copyOf(ranges));
  }

  /** True when a range holds every address (a /0): then any client can say where it is and which scheme it used. */
  public boolean trustsEveryAddress() {
    return ranges.stream().anyMatch(r -> r.prefix() == 0);
  }

  public boolean trusts(String address) {
    byte[] bytes = literal(address);
    return bytes != null && ranges.stream().anyMatch(r -> r.contains(bytes));
  }

  /**
   * The client behind {@code peer}: if the peer is a trusted proxy, the right-most address in
   * {@code forwardedFor} that is not itself a trusted proxy (proxies append, so entries left of
   * it may be made up by the client) and the scheme in {@code forwardedProto}.
   */
  public Client resolve(String peer, boolean peerSecure, String forwardedFor, String forwardedProto) {
    if (!trusts(peer)) {
      return new Client(peer, peerSecure);
    }
    String client = peer;
    if (forwardedFor != null) {
      String[] hops = forwardedFor.split(",");
      for (int i = hops.length - 1; i >= 0; i--) {
        String hop = hops[i].trim();
        if (literal(hop) == null) {
          break;
        }
        client = hop;
        if (!trusts(hop)) {
          break;
        }
      }
    }
    boolean secure = peerSecure;
    if (forwardedProto != null && !forwardedProto.isBlank()) {
      secure = forwardedProto.split(",")[0].trim().equalsIgnoreCase("https");
    }
    return new Client(client, secure);
  }

  /** The bytes of an IP literal, or null; never a DNS lookup. */
  private static byte[] literal(String text) {
    String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    boolean v4 = IPV4.matcher(t).matches() && java.util.Arrays.stream(t.split("\\.")).allMatch(o -> Integer.parseInt(o) <= 255);
    if (!v4 && !(t.contains(":") && t.matches("[0-9A-Fa-f:.]+"))) {
      return null; // a name, or nonsense that the resolver would try to look up
    }
    try {
      return InetAddress.getByName(t).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
