package io.piholecheckpoint.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where a destination writes, spelled one way only, so that two destinations that write to one
 * place are found whatever their URLs look like: a folder by its real path (a symbolic link is the
 * folder it points to), a server by {@link #host} (a name in lower case, an address by what it means
 * however written, every loopback name and address as one), AWS's S3 endpoints as none, the kind's default port written out, and a path by its segments with {@code .} and {@code ..}
 * resolved as the server resolves them. Two places overlap when one is the other or inside it.
 *
 * @param server kind, server and port (and the user whose home a relative path starts at)
 * @param segments the folder (or prefix) below the server, one name each
 */
record DestinationPlace(String server, List<String> segments) {
  private static final String LOOPBACK = "loopback";

  /**
   * @param endpoint the S3 endpoint ({@code _ENDPOINT}), or blank for AWS
   * @throws IllegalArgumentException naming {@code variable}, for a path that climbs out of the home folder it starts at
   */
  static DestinationPlace of(URI url, String endpoint, String variable) {
    return of(url, endpoint, variable, null);
  }

  /**
   * @param homes the SFTP homes learned so far (null: none): a {@code /~/} path of a user whose home is known is that
   *     folder on the server, compared as an absolute path
   */
  static DestinationPlace of(URI url, String endpoint, String variable, SftpHomes homes) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    String path = url.getPath() == null ? "" : url.getPath();
    return switch (scheme) {
      case "file" -> {
        if (!path.startsWith("/")) { // file:x is opaque (no path at all): read as "/", it would be every folder's place
          throw new IllegalArgumentException(io.piholecheckpoint.offsite.file.FileDestination.notAbsolute(variable));
        }
        yield new DestinationPlace("file", segments(realPath(Path.of(path)).toString(), variable));
      }
      case "s3" -> {
        // keys are taken as written: S3 resolves neither . nor .., and a//b is a key of its own
        List<String> keys = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        String store = endpoint == null || endpoint.isBlank() ? "aws" : server(URI.create(endpoint.strip()), -1);
        // AWS's own endpoint written out (s3.amazonaws.com, s3.REGION.amazonaws.com, s3-fips…: a bucket's name is unique across
        // its regions) is the store of no endpoint
        store = store.matches("s3[.-][a-z0-9.-]*amazonaws[.]com:(443|80)") ? "aws" : store;
        yield new DestinationPlace("s3 " + store + " " + url.getRawAuthority(), keys);
      }
      case "sftp" -> {
        // /~/path starts at the user's home, which is another place for another user; once a connection told where it is,
        // it is that folder (see SftpHomes)
        boolean home = path.isEmpty() || path.equals("/~") || path.startsWith("/~/");
        String rest = home ? path.substring(Math.min(path.length(), 2)) : path;
        String known = home && homes != null ? homes.homeOf(url) : null;
        if (known != null) {
          List<String> below = segments(rest, variable);
          List<String> all = new ArrayList<>(segments(known, variable));
          all.addAll(below);
          yield new DestinationPlace("sftp " + server(url, 22), List.copyOf(all));
        }
        yield new DestinationPlace("sftp " + server(url, 22) + (home ? " ~" + url.getUserInfo() : ""), segments(rest, variable));
      }
      default -> new DestinationPlace(scheme.startsWith("webdav+") ? "webdav " + server(url, scheme.endsWith("s") ? 443 : 80) : scheme,
          segments(path, variable));
    };
  }

  /** Whether the two write to one place, or one inside the other: each one's retention would delete the other's copies. */
  boolean overlaps(DestinationPlace other) {
    if (!server.equals(other.server)) {
      return false;
    }
    int common = Math.min(segments.size(), other.segments.size());
    return segments.subList(0, common).equals(other.segments.subList(0, common));
  }

  /** Whether this folder is the folder given, inside it or around it, by their real paths. */
  static boolean overlaps(Path folder, Path own) {
    Path a = realPath(folder);
    Path b = realPath(own);
    return a.startsWith(b) || b.startsWith(a);
  }

  /**
   * The real path of the longest part of the path that exists (links followed), with the rest
   * below it: a folder not made yet still resolves through the links above it.
   */
  static Path realPath(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    Path existing = absolute;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return absolute;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
    } catch (IOException e) {
      return absolute; // unreadable on the way: compared as written
    }
  }

  /** {@code user@host:port} of an SFTP URL, the server spelled as places spell it: whose home a {@code /~/} path starts at. */
  static String userAtServer(URI url) {
    return url.getUserInfo() + "@" + server(url, 22);
  }

  /** {@code host:port}, the host as {@link #host} spells it, the scheme's default port written out. */
  private static String server(URI url, int defaultPort) {
    int port = url.getPort() != -1 ? url.getPort() : "http".equalsIgnoreCase(url.getScheme()) ? 80
        : "https".equalsIgnoreCase(url.getScheme()) ? 443 : defaultPort;
    return host(url.getHost()) + ":" + port;
  }

  /**
   * A server's name or address spelled one way: a name in lower case without the root's dot; an address by what it means,
   * however written (IPv4 as one number, in octal, hex or short form, as the C library and so curl read it; IPv6 with or
   * without zeros, in any case, an IPv4-mapped or -compatible one as its IPv4 address), in its plain form. Every loopback
   * name and address is one ("localhost" is 127.0.0.1 on every system, and a place there is this machine's). Other names
   * are not resolved: two names of one server are two places, as the DNS may say something else tomorrow.
   */
  static String host(String written) {
    String host = written == null ? "" : written.toLowerCase(Locale.ROOT);
    host = host.endsWith(".") ? host.substring(0, host.length() - 1) : host; // nas.lan. is the name nas.lan, fully qualified
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    byte[] address = host.contains(":") ? ipv6(host) : ipv4(host);
    if (address != null && address.length == 16 && isV4InV6(address)) {
      address = Arrays.copyOfRange(address, 12, 16);
    }
    if (address == null) {
      return host.equals("localhost") || host.endsWith(".localhost") ? LOOPBACK : host;
    }
    if (address.length == 4) {
      boolean any = address[0] == 0 && address[1] == 0 && address[2] == 0 && address[3] == 0;
      return address[0] == 127 || any ? LOOPBACK
          : (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
    }
    boolean zeroToFifteen = true;
    for (int i = 0; i < 15; i++) {
      zeroToFifteen &= address[i] == 0;
    }
    if (zeroToFifteen && (address[15] == 0 || address[15] == 1)) {
      return LOOPBACK; // :: and ::1
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 16; i += 2) {
      text.append(i == 0 ? "" : ":").append(Integer.toHexString((address[i] & 0xff) << 8 | address[i + 1] & 0xff));
    }
    return text.toString();
  }

  /** ::ffff:a.b.c.d (mapped) or ::a.b.c.d (compatible, but not :: nor ::1): an IPv4 address written as IPv6. */
  private static boolean isV4InV6(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    boolean mapped = a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    boolean compatible = a[10] == 0 && a[11] == 0 && (a[12] != 0 || a[13] != 0 || a[14] != 0 || (a[15] & 0xff) > 1);
    return mapped || compatible;
  }

  /** The address as inet_aton reads it (1 to 4 parts, each decimal, octal with a leading 0, or hex with 0x; the last fills the rest), or null. */
  private static byte[] ipv4(String host) {
    String[] parts = host.split("\\.", -1);
    if (parts.length > 4) {
      return null;
    }
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      Long value = number(parts[i]);
      long max = i < parts.length - 1 ? 0xff : (1L << (8 * (5 - parts.length))) - 1;
      if (value == null || value > max) {
        return null;
      }
      values[i] = value;
    }
    long all = values[parts.length - 1];
    for (int i = 0; i < parts.length - 1; i++) {
      all |= values[i] << (8 * (3 - i));
    }
    return new byte[] {(byte) (all >>> 24), (byte) (all >>> 16), (byte) (all >>> 8), (byte) all};
  }

  private static Long number(String part) {
    try {
      if (part.startsWith("0x")) {
        return part.length() > 2 && part.length() <= 10 && part.substring(2).matches("[0-9a-f]+") ? Long.valueOf(part.substring(2), 16) : null;
      }
      if (!part.matches("[0-9]{1,12}")) {
        return null;
      }
      if (part.length() > 1 && part.startsWith("0")) {
        return part.matches("[0-7]+") ? Long.valueOf(part, 8) : null;
      }
      return Long.valueOf(part);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The 16 bytes of an IPv6 literal (a zone, %eth0, is not part of the address), or null when it is none. */
  private static byte[] ipv6(String host) {
    String literal = host.contains("%") ? host.substring(0, host.indexOf('%')) : host;
    if (!literal.matches("[0-9a-f:.]+")) {
      return null;
    }
    try {
      // a literal with a colon is parsed, never looked up
      byte[] address = InetAddress.getByName("[" + literal + "]").getAddress();
      if (address.length == 4) { // Java hands an IPv4-mapped address back as IPv4
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(address, 0, mapped, 12, 4);
        return mapped;
      }
      return address;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** The path's names with {@code .} dropped and {@code ..} taking one off, as a server resolves them. */
  private static List<String> segments(String path, String variable) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (s.isEmpty() || s.equals(".")) {
        continue;
      }
      if (s.equals("..")) {
        if (out.isEmpty()) {
          throw new IllegalArgumentException(variable + " climbs above the folder it starts at with '..': write the folder's path "
              + "without '..', so that no other destination can share it unseen");
        }
        out.remove(out.size() - 1);
      } else {
        out.add(s);
      }
    }
    return List.copyOf(out);
  }
}
