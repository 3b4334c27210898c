package io.piholecheckpoint.pihole;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A multipart/form-data body, in the order its parts were added. */
final class Multipart {
  private final String boundary = "checkpoint-" + UUID.randomUUID();
  private final List<byte[]> parts = new ArrayList<>();

  void field(String name, String value) {
    parts.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
        .getBytes(StandardCharsets.UTF_8));
  }

  void file(String name, String fileName, Path file) {
    parts.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName
        + "\"\r\nContent-Type: application/zip\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    try {
      parts.add(Files.readAllBytes(file)); // Teleporter archives are small; Pi-hole takes at most 50 MiB
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    parts.add("\r\n".getBytes(StandardCharsets.UTF_8));
  }

  String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  HttpRequest.BodyPublisher publisher() {
    List<byte[]> all = new ArrayList<>(parts);
    all.add(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return HttpRequest.BodyPublishers.ofByteArrays(all);
  }
}
