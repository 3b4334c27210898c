package io.piholecheckpoint.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.piholecheckpoint.testing.FakePihole.ExportAnswer;
import io.piholecheckpoint.testing.FakePihole.Hold;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code /api/teleporter}: the export of the Pi-hole's state as a zip, with the faults a test
 * asks for (an HTML page, 500, 503, cut off or stalled halfway, held until released), and the
 * multipart import with FTL's refusals, after which the Pi-hole restarts itself.
 */
final class FakeTeleporter {
  private final FakeAuth auth;
  private final String archivePassword;
  private final Runnable restartDue;
  private final Runnable restart;
  private final CountDownLatch stalled = new CountDownLatch(1);
  private volatile byte[] archive;
  /** Password by the hash {@link #changePassword} wrote for it. */
  private final java.util.Map<String, String> setPasswords = new java.util.concurrent.ConcurrentHashMap<>();
  /** The ZIP of the last import received, as it arrived: in a file, as a 50 MB one must not sit in the test's heap. */
  private volatile Path lastImport;
  /** Where imports' parts are written as they arrive. */
  private final Path uploads;
  private volatile ExportAnswer exportAnswer = ExportAnswer.ARCHIVE;
  private volatile Hold hold;
  private volatile Hold importHold;
  private volatile boolean failImports;
  private volatile byte[] importLeaves;
  /** Non-null: imports are answered 429, with the Retry-After it holds. */
  private volatile java.util.Optional<String> limitImports;
  /** How the last import's body was framed: "Content-Length: n" or "Transfer-Encoding: chunked". */
  private volatile String lastImportFraming;
  /** The last import's {@code import} part as sent ("" when it had none: FTL then imports everything). */
  private volatile String lastImportSelection;

  /**
   * @param restartDue marks the restart as due, before the answer goes out: a client quick to look
   *     once it has the answer finds it under way, not a handler thread yet to get there
   * @param restart what FTL does after it answered an import
   */
  FakeTeleporter(byte[] archive, FakeAuth auth, String archivePassword, Runnable restartDue, Runnable restart) {
    this.archive = archive;
    this.auth = auth;
    this.archivePassword = archivePassword;
    this.restartDue = restartDue;
    this.restart = restart;
    try {
      this.uploads = Files.createTempDirectory("fake-pihole-imports-");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The ZIP of the last import, or null when none came. */
  byte[] lastImport() {
    Path file = lastImport;
    try {
      return file == null ? null : Files.readAllBytes(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  String lastImportSelection() {
    return lastImportSelection;
  }

  String lastImportFraming() {
    return lastImportFraming;
  }

  /** The size of the last import's ZIP, or -1 when none came. */
  long lastImportSize() {
    Path file = lastImport;
    try {
      return file == null ? -1 : Files.size(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * {@code pihole setpassword}: the password, and the hash of it that pihole.toml (and so every
   * export) holds from now on. The hash is a stand-in (FTL's BALLOON-SHA256 is not reproduced):
   * distinct per password, which is all a comparison of two archives can see.
   */
  synchronized void changePassword(String password) {
    String hash = "$BALLOON-SHA256$v=1$s=1024,t=32$ZmFrZQ==$" + java.util.Base64.getEncoder().encodeToString(
        password.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    setPasswords.put(hash, password);
    try {
      archive = FakeImport.withConfig(archive, FakeImport.setTomlKey(FakeImport.config(archive), "webserver.api.pwhash", "\"" + hash + "\""));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    auth.passwordFromArchive(password);
  }

  private static String pwhash(byte[] archive) throws IOException {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s*pwhash\\s*=\\s*\"([^\"]*)\"").matcher(FakeImport.config(archive));
    return m.find() ? m.group(1) : "";
  }

  /** The archive it would export now: the Pi-hole's state. */

  byte[] archive() {
    return archive;
  }

  void archive(byte[] archive) {
    this.archive = archive;
  }

  void exportAnswer(ExportAnswer answer) {
    this.exportAnswer = answer;
  }

  Hold holdExports() {
    Hold h = new Hold();
    this.hold = h;
    return h;
  }

  /** Imports are received whole, then answered with HTTP 500 and not applied (or not: the answer does not say). */
  void importLeaves(byte[] archive) {
    importLeaves = archive;
  }

  void failImports() {
    failImports = true;
  }

  /** Imports are received whole, then answered with HTTP 429 (and this Retry-After, unless null) and not applied. */
  void limitImports(String retryAfter) {
    limitImports = java.util.Optional.ofNullable(retryAfter);
  }

  /** Holds imports once received, before they are applied: FTL at work on a large one. */
  Hold holdImports() {
    Hold h = new Hold();
    this.importHold = h;
    return h;
  }

  /** Lets go of held and stalled exports and held imports. */
  void releaseAll() {
    for (Hold h : new Hold[] {hold, importHold}) {
      if (h != null) {
        h.release();
      }
    }
    stalled.countDown();
  }

  void export(HttpExchange ex) throws IOException {
    Hold h = hold;
    if (h != null) {
      h.holdHere();
    }
    switch (exportAnswer) {
      case HTML_PAGE -> FakeReplies.html(ex, 200, "<!DOCTYPE html><html><body>Pi-hole login</body></html>");
      case SERVER_ERROR -> FakeReplies.error(ex, 500, "internal_error", "Internal server error", null);
      case UNAVAILABLE -> FakeReplies.html(ex, 503, "<html><body>503 Service Unavailable</body></html>");
      case CUT_OFF_HALFWAY, STALL_HALFWAY -> sendHalf(ex, exportAnswer == ExportAnswer.STALL_HALFWAY);
      case TRICKLE -> trickle(ex);
      case ARCHIVE -> {
        byte[] zip = archive;
        FakeReplies.securityHeaders(ex);
        ex.getResponseHeaders().set("Content-Type", "application/zip");
        ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"pi-hole_fake_teleporter_2026-11-27_07-43-11_UTC.zip\"");
        ex.sendResponseHeaders(200, zip.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(zip);
        }
      }
    }
  }

  private void trickle(HttpExchange ex) throws IOException {
    byte[] zip = archive;
    ex.getResponseHeaders().set("Content-Type", "application/zip");
    ex.sendResponseHeaders(200, zip.length);
    try (OutputStream out = ex.getResponseBody()) {
      int piece = (zip.length + 9) / 10;
      for (int from = 0; from < zip.length; from += piece) {
        out.write(zip, from, Math.min(piece, zip.length - from));
        out.flush();
        Thread.sleep(300);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Promises the whole archive, sends half, then drops the connection (a restart) or goes silent. */
  private void sendHalf(HttpExchange ex, boolean stall) throws IOException {
    byte[] zip = archive;
    ex.getResponseHeaders().set("Content-Type", "application/zip");
    ex.sendResponseHeaders(200, zip.length);
    OutputStream out = ex.getResponseBody();
    out.write(zip, 0, zip.length / 2);
    out.flush();
    if (stall) {
      try {
        stalled.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    throw new IOException("the fake Pi-hole cuts the connection"); // the server closes it with the archive half sent
  }

  void importArchive(HttpExchange ex) throws IOException {
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.startsWith("multipart/form-data")) {
      FakeReplies.error(ex, 400, "bad_request", "Invalid form request", null);
      return;
    }
    lastImportFraming = ex.getRequestHeaders().getFirst("Transfer-Encoding") != null ? "Transfer-Encoding: " + ex.getRequestHeaders().getFirst("Transfer-Encoding")
        : "Content-Length: " + ex.getRequestHeaders().getFirst("Content-Length");
    Map<String, FakeImport.Part> parts = FakeImport.parse(ex.getRequestBody(), type, uploads);
    try {
      answerImport(ex, parts);
    } finally {
      for (FakeImport.Part part : parts.values()) {
        if (!part.file().equals(lastImport)) {
          Files.deleteIfExists(part.file());
        }
      }
    }
  }

  private void answerImport(HttpExchange ex, Map<String, FakeImport.Part> parts) throws IOException {
    Hold h = importHold;
    if (h != null) {
      h.holdHere();
    }
    if (failImports) {
      FakeReplies.error(ex, 500, "internal_error", "Internal server error", null);
      return;
    }
    java.util.Optional<String> limited = limitImports;
    if (limited != null) {
      limited.ifPresent(seconds -> ex.getResponseHeaders().set("Retry-After", seconds));
      FakeReplies.error(ex, 429, "rate_limiting", "Rate-limiting requests", null);
      return;
    }
    FakeImport.Part file = parts.get("file");
    if (file == null) {
      FakeReplies.error(ex, 400, "bad_request", "No ZIP archive received", null);
      return;
    }
    if (file.fileName() == null || !file.fileName().endsWith(".zip") || !file.startsWithZipMagic()) {
      FakeReplies.error(ex, 400, "bad_request", "Invalid file", "The uploaded file does not appear to be a valid Pi-hole Teleporter archive");
      return;
    }
    Path previous = lastImport;
    lastImport = file.file();
    lastImportSelection = parts.containsKey("import") ? new String(parts.get("import").bytes(), java.nio.charset.StandardCharsets.UTF_8) : "";
    if (previous != null) {
      Files.deleteIfExists(previous);
    }
    FakeImport.Result result;
    try {
      result = FakeImport.apply(archive, file.file(), parts.containsKey("import") ? FakeReplies.JSON.readTree(parts.get("import").bytes()) : null);
    } catch (IOException | RuntimeException e) {
      FakeReplies.error(ex, 400, "bad_request", "Invalid request", "Failed to parse received ZIP archive: " + e.getMessage());
      return;
    }
    archive = importLeaves != null ? importLeaves : result.archive();
    if (result.configImported()) {
      // the archive's pwhash replaces the Pi-hole's: a hash this fake wrote (changePassword) is that password's, any other the fixtures'
      auth.passwordFromArchive(setPasswords.getOrDefault(pwhash(archive), archivePassword));
    }
    ObjectNode answer = FakeReplies.JSON.createObjectNode();
    result.files().forEach(answer.putArray("files")::add);
    restartDue.run();
    FakeReplies.json(ex, 200, answer);
    restart.run();
  }

  /** Deletes what imports left on disk. */
  void deleteUploads() {
    try (java.util.stream.Stream<Path> files = Files.list(uploads)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(uploads);
    } catch (IOException e) {
      // a temp directory left behind: nothing a test depends on
    }
  }
}
