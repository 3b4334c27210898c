package io.piholecheckpoint.web;

import io.piholecheckpoint.core.backup.BackupNotFoundException;
import io.piholecheckpoint.core.backup.BackupService;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** {@code GET /backups/{id}/download}: the archive as an attachment, streamed from disk. */
public final class BackupsServlet extends HttpServlet {

  private static final String ERROR_VIEW = "errors/error.ftlh";

  private final BackupService backups;
  private final Views views;

  public BackupsServlet(BackupService backups, Views views) {
    this.backups = backups;
    this.views = views;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String[] parts = Paths.segments(request);
    OptionalLong id = parts.length == 2 && parts[1].equals("download") ? Paths.id(parts[0]) : OptionalLong.empty();
    if (id.isEmpty()) {
      response.sendError(404);
      return;
    }
    Path archive;
    try {
      archive = backups.archiveOf(id.getAsLong());
    } catch (BackupNotFoundException e) {
      views.render(response, 404, ERROR_VIEW, ErrorServlet.ErrorPage.notFound(e.getMessage() + "."));
      return;
    }
    response.setContentType("application/zip");
    response.setHeader("Content-Disposition", "attachment; filename=\"" + archive.getFileName() + "\"");
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setContentLengthLong(Files.size(archive));
    Files.copy(archive, response.getOutputStream());
  }
}
