package io.piholecheckpoint.web;

import io.piholecheckpoint.core.archive.ArchiveStore;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;

/** A backup's archive as an attachment: the same bytes from the page's link and from the API's {@code downloadUrl}. */
public final class ArchiveDownload {
  private ArchiveDownload() {
  }

  /** Always the plain ZIP, even for an archive stored encrypted: Pi-hole's own Teleporter page takes only that. */
  public static void send(HttpServletResponse response, ArchiveStore.PlainArchive archive) throws IOException {
    response.setContentType("application/zip");
    response.setHeader("Content-Disposition", "attachment; filename=\"" + archive.name() + "\"");
    response.setHeader("X-Content-Type-Options", "nosniff");
    // the size and the bytes from the one file opened, never through a link swapped in after the store looked
    try (FileChannel file = FileChannel.open(archive.path(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      response.setContentLengthLong(file.size());
      Channels.newInputStream(file).transferTo(response.getOutputStream());
    }
  }
}
