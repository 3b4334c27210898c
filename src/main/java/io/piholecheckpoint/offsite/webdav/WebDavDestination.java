package io.piholecheckpoint.offsite.webdav;

import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.core.offsite.remote.DestinationException;
import io.piholecheckpoint.core.offsite.remote.DestinationException.Problem;
import io.piholecheckpoint.core.offsite.remote.ObjectKeys;
import io.piholecheckpoint.core.offsite.remote.RemoteObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code webdav+https://host/path} (or {@code webdav+http://}): Nextcloud
 * ({@code …/remote.php/dav/files/USER/checkpoint}), ownCloud, a NAS or any WebDAV server, with HTTP
 * Basic authentication from {@code _USER} and {@code _PASSWORD}. The folder the URL names must
 * exist; the folders below it are made as needed. An object is uploaded under a temporary name
 * and moved onto its key, and checked by reading it again: WebDAV has no standard checksum.
 */
public final class WebDavDestination implements Destination {
  private static final Logger LOG = LoggerFactory.getLogger(WebDavDestination.class);
  /** Marks objects being uploaded; never listed, never counted as an object. */
  static final String PART = ".part-";
  /** Folders listed for one {@link #list}: a hostile server's endless tree ends here. */
  private static final int MAX_FOLDERS = 10_000;
  private static final String PROPS = "<?xml version=\"1.0\" encoding=\"utf-8\"?><d:propfind xmlns:d=\"DAV:\"><d:prop>"
      + "<d:resourcetype/><d:getcontentlength/><d:getlastmodified/></d:prop></d:propfind>";
  private final DestinationConfig config;
  private final String described;
  private final DavClient dav;

  public WebDavDestination(DestinationConfig config) {
    URI url = config.url();
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("webdav+https") && !scheme.equals("webdav+http") || url.getHost() == null) {
      throw new IllegalArgumentException(config.variable("URL")
          + " must be a WebDAV folder such as webdav+https://cloud.example.com/remote.php/dav/files/USER/checkpoint");
    }
    if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null) {
      throw new IllegalArgumentException(config.variable("URL") + " must be the folder's address alone, without a user, password, query or #:"
          + " the user and password go in " + config.variable("USER") + " and " + config.variable("PASSWORD"));
    }
    Optional<String> user = config.option("USER");
    Optional<String> password = config.option("PASSWORD");
    if (user.isPresent() != password.isPresent()) {
      String passwordSetting = config.variable("PASSWORD").equals(config.variable("PASSWORD_FILE")) ? config.variable("PASSWORD")
          : config.variable("PASSWORD") + " (or " + config.variable("PASSWORD_FILE") + ")";
      throw new IllegalArgumentException((user.isPresent() ? passwordSetting : config.variable("USER")) + " must be set together with "
          + (user.isPresent() ? config.variable("USER") : passwordSetting));
    }
    if (user.filter(u -> u.contains(":")).isPresent()) {
      throw new IllegalArgumentException(config.variable("USER") + " must not contain ':', which HTTP Basic authentication cannot carry");
    }
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    path = path.endsWith("/") ? path : path + "/";
    this.config = config;
    this.described = scheme + "://" + url.getRawAuthority() + path;
    String authorization = user.map(u -> "Basic " + Base64.getEncoder().encodeToString((u + ":" + password.get()).getBytes(StandardCharsets.UTF_8)))
        .orElse(null);
    this.dav = new DavClient(config, URI.create(scheme.substring("webdav+".length()) + "://" + url.getRawAuthority() + path), authorization, described);
    if (scheme.equals("webdav+http") && authorization != null) {
      // named as where it was set: a variable, or the field of a destination added in Settings
      LOG.warn("Destination {}: its {} is plain http: the WebDAV password travels in clear to {}; use webdav+https unless the server is on this"
          + " machine", config.name(), config.variable("URL"), url.getHost());
    }
  }

  @Override
  public void put(String key, InputStream in, long length) throws IOException {
    ObjectKeys.requireSafe(key);
    makeFolders(key);
    removeLeftoverParts(key);
    URI part = dav.resolve(key + PART + UUID.randomUUID());
    boolean moved = false;
    try {
      dav.upload(part, in, length, "copying " + key, 200, 201, 204);
      dav.send(dav.request(part).method("MOVE", BodyPublishers.noBody()).header("Destination", dav.resolve(key).toString())
          .header("Overwrite", "T"), "moving " + key + " into place", 201, 204);
      moved = true;
    } finally {
      if (!moved) {
        discard(part);
      }
    }
  }

  /** MKCOL each folder above the key; 405 is the answer for one that exists (rclone answers 201 again). */
  private void makeFolders(String key) throws IOException {
    for (int slash = key.indexOf('/'); slash >= 0; slash = key.indexOf('/', slash + 1)) {
      String folder = key.substring(0, slash + 1);
      int status = dav.send(dav.request(dav.resolve(folder)).method("MKCOL", BodyPublishers.noBody()), "creating the folder " + folder, 201, 405, 409);
      if (status == 409) {
        requireBase();
        throw new DestinationException(Problem.FAILED, "creating the folder " + folder + " on " + described + " failed: the folder above it is gone; it is tried again later");
      }
    }
  }

  /**
   * What an earlier upload of this key left: its process was killed mid-copy, or the server was
   * still writing the part when its DELETE came (rclone then keeps it). One process writes a key
   * at a time (the one that runs the schedules), so any part of it is a dead one's.
   */
  private void removeLeftoverParts(String key) throws IOException {
    for (Multistatus.Entry entry : propfind(key.substring(0, key.lastIndexOf('/') + 1), "1")) {
      String found = keyOf(entry.path());
      if (found != null && !entry.folder() && found.startsWith(key + PART)) {
        dav.send(dav.request(dav.resolve(found)).DELETE(), "removing an unfinished upload of " + key, 200, 204, 404);
      }
    }
  }

  private void discard(URI part) {
    try {
      dav.send(dav.request(part).DELETE(), "removing an unfinished upload", 200, 204, 404);
    } catch (IOException e) {
      // the upload's own failure is what matters; a part left behind is never listed, only its space is lost
      LOG.debug("an unfinished upload stays on {}: {}", described, e.getMessage());
    }
  }

  @Override
  public Optional<RemoteObject> check(String key) throws IOException {
    HttpResponse<InputStream> response = get(key, "reading " + key + " back");
    if (response == null) {
      return Optional.empty();
    }
    MessageDigest sha256 = sha256();
    long size = 0;
    try (InputStream body = new DigestInputStream(response.body(), sha256)) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = body.read(buffer)) != -1; ) {
        size += n;
      }
    }
    Instant modified = response.headers().firstValue("Last-Modified").map(Multistatus::instant).orElse(null);
    return Optional.of(new RemoteObject(key, size, HexFormat.of().formatHex(sha256.digest()), modified));
  }

  @Override
  public InputStream open(String key) throws IOException {
    HttpResponse<InputStream> response = get(key, "reading " + key);
    if (response == null) {
      throw new DestinationException(Problem.MISSING, key + " is not on " + described + " (deleted there?)");
    }
    return response.body();
  }

  /** The GET of a key, its body still to read; null when there is no such object. */
  private HttpResponse<InputStream> get(String key, String what) throws IOException {
    HttpResponse<InputStream> response = dav.stream(dav.request(dav.resolve(ObjectKeys.requireSafe(key))).GET(), what);
    if (response.statusCode() == 200) {
      return response;
    }
    response.body().close();
    if (response.statusCode() == 404) {
      requireBase();
      return null;
    }
    throw dav.failure(what, response);
  }

  @Override
  public List<RemoteObject> list(String prefix) throws IOException {
    String start = prefix.substring(0, prefix.lastIndexOf('/') + 1);
    if (!start.isEmpty()) {
      ObjectKeys.requireSafe(start.substring(0, start.length() - 1));
    }
    List<RemoteObject> found = new ArrayList<>();
    Deque<String> folders = new ArrayDeque<>(List.of(start));
    for (int listed = 0; !folders.isEmpty(); listed++) {
      if (listed == MAX_FOLDERS) {
        throw new DestinationException(Problem.FAILED, described + " holds more than " + MAX_FOLDERS + " folders; that is not a folder Checkpoint writes alone");
      }
      String folder = folders.pop();
      for (Multistatus.Entry entry : propfind(folder, "1")) {
        String key = keyOf(entry.path());
        if (key == null || key.length() <= folder.length() || !key.startsWith(folder)) {
          continue; // the folder itself, or a server's odd extra
        }
        if (entry.folder() && (prefix.startsWith(key + "/") || (key + "/").startsWith(prefix))) {
          folders.push(key + "/");
        } else if (!entry.folder() && key.startsWith(prefix) && !key.substring(key.lastIndexOf('/') + 1).contains(PART)) {
          found.add(new RemoteObject(key, entry.size(), null, entry.modified()));
        }
      }
    }
    return found;
  }

  /** A listed path as a key below the base; null when it is not one (outside, or not a safe key). */
  private String keyOf(String path) {
    if (!path.startsWith(dav.basePath())) {
      return null;
    }
    String key = path.substring(dav.basePath().length());
    key = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
    try {
      return ObjectKeys.requireSafe(key);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The folder's entries; none when it is not there, unless the base itself is missing. */
  private List<Multistatus.Entry> propfind(String folder, String depth) throws IOException {
    String what = "listing " + (folder.isEmpty() ? "the folder" : folder);
    HttpResponse<InputStream> response = dav.stream(dav.request(dav.resolve(folder)).header("Depth", depth)
        .header("Content-Type", "application/xml; charset=utf-8").method("PROPFIND", BodyPublishers.ofString(PROPS)), what);
    try (InputStream body = response.body()) {
      if (response.statusCode() == 404 && !folder.isEmpty()) {
        requireBase();
        return List.of();
      }
      if (response.statusCode() != 207) {
        throw response.statusCode() == 404 ? missingBase() : dav.failure(what, response);
      }
      return Multistatus.read(body, "PROPFIND " + what);
    }
  }

  /**
   * A missing base is a wrong URL, a folder never made or a share not mounted, not an empty destination; it is never made
   * here, as a {@code file://} or {@code sftp://} destination's is not, and the destination's copies wait as for one that is down.
   */
  private void requireBase() throws IOException {
    propfind("", "0");
  }

  private DestinationException missingBase() {
    return new DestinationException(Problem.UNREACHABLE, "the folder " + described + " is not on the server: create it there (or mount the"
        + " share it stands for), or fix " + config.variable("URL"));
  }

  @Override
  public void delete(String key) throws IOException {
    dav.send(dav.request(dav.resolve(ObjectKeys.requireSafe(key))).DELETE(), "deleting " + key, 200, 204, 404);
    removeLeftoverParts(key); // a killed upload's part of the key goes with it: never listed, its bytes would stay for good
  }

  @Override
  public String describe() {
    return described;
  }

  @Override
  public void close() {
    // java.net.http's client of Java 17 has no close; its connections go with it
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
