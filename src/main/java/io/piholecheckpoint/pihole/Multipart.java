package io.piholecheckpoint.pihole;

import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A multipart/form-data body, in the order its parts were added. A file part is streamed from
 * disk as the request is sent, never read into the heap: a Teleporter archive may be up to
 * Pi-hole's 50 MiB, which a copy (or two: a body of unknown length goes out chunked, copied
 * again) does not fit in the image's 96 MB heap. Every part's length is known up front, so the
 * body goes out with a Content-Length, as FTL's upload handler expects of a form.
 */
final class Multipart {
  private final String boundary = "checkpoint-" + UUID.randomUUID();
  private final List<HttpRequest.BodyPublisher> parts = new ArrayList<>();

  void field(String name, String value) {
    parts.add(text("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n"));
  }

  void file(String name, String fileName, Path file) {
    parts.add(text("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName
        + "\"\r\nContent-Type: application/zip\r\n\r\n"));
    try {
      parts.add(HttpRequest.BodyPublishers.ofFile(file)); // its length now, its bytes as they are sent, 16 KiB at a time
    } catch (FileNotFoundException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    parts.add(text("\r\n"));
  }

  String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  /** The whole body; its {@code contentLength()} is the sum of its parts'. */
  HttpRequest.BodyPublisher publisher() {
    List<HttpRequest.BodyPublisher> all = new ArrayList<>(parts);
    all.add(text("--" + boundary + "--\r\n"));
    return HttpRequest.BodyPublishers.concat(all.toArray(HttpRequest.BodyPublisher[]::new));
  }

  private static HttpRequest.BodyPublisher text(String text) {
    return HttpRequest.BodyPublishers.ofByteArray(text.getBytes(StandardCharsets.UTF_8));
  }
}
