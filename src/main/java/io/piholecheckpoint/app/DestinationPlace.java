package io.piholecheckpoint.app;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where a destination writes, spelled one way only, so that two destinations that write to one
 * place are found whatever their URLs look like: a folder by its real path (a symbolic link is the
 * folder it points to), a server's name in lower case (without the root's dot) with every loopback
 * name and address as one, AWS's S3 endpoints as none, the kind's default port written out, and a path by its segments with {@code .} and {@code ..}
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

  /** {@code host:port}, the host in lower case and every loopback name and address as one. */
  private static String server(URI url, int defaultPort) {
    String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
    host = host.endsWith(".") ? host.substring(0, host.length() - 1) : host; // nas.lan. is the name nas.lan, fully qualified
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.equals("localhost") || host.endsWith(".localhost") || host.startsWith("127.") || host.equals("::1")
        || host.equals("0:0:0:0:0:0:0:1") || host.equals("0.0.0.0") || host.equals("::")) {
      host = LOOPBACK;
    }
    int port = url.getPort() != -1 ? url.getPort() : "http".equalsIgnoreCase(url.getScheme()) ? 80
        : "https".equalsIgnoreCase(url.getScheme()) ? 443 : defaultPort;
    return host + ":" + port;
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
