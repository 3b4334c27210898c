package io.piholecheckpoint.web;

import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.units.ByteSize;
import io.piholecheckpoint.notify.Notifier;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code GET /settings}: what this installation is and how it is set up — never a secret value. */
public final class SettingsServlet extends HttpServlet {
  private static final String VIEW = "settings/index.ftlh";

  /** The settings page; {@code encryptionKey} says where the key is, not what it is. */
  public record SettingsPage(String version, String dataDir, String backupDir, String diskFree, String diskTotal, String timeZone,
                             String encryptionKey, boolean keyGenerated, String authentication, String archives, List<String> providers,
                             List<Notifier.Delivery> deliveries) {
  }

  private final Views views;
  private final ArchiveStore archives;
  private final Notifier notifier;
  private final SettingsPage fixed;

  public SettingsServlet(Views views, ArchiveStore archives, Notifier notifier, String version, Path dataDir, String timeZone,
                         String encryptionKeySource, boolean signInRequired, boolean archivesEncrypted) {
    this.views = views;
    this.archives = archives;
    this.notifier = notifier;
    this.fixed = new SettingsPage(version, dataDir.toString(), archives.directory().toString(), null, null, timeZone, encryptionKeySource,
        encryptionKeySource.startsWith("generated"),
        signInRequired ? "on (APP_PASSWORD)" : "off — anyone who can reach this page can use it; set APP_PASSWORD",
        archivesEncrypted ? "new archives are encrypted (OpenPGP, AES-256; BACKUP_ENCRYPTION_PASSPHRASE)" : "stored as plain ZIP files (mode 0600)",
        notifier.providerNames(), List.of());
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    try {
      QueryParameters.of(request);
    } catch (Json.BadRequestException e) {
      views.badRequest(request, response, e);
      return;
    }
    long free = archives.usableBytes();
    long total;
    try {
      total = Files.getFileStore(archives.directory()).getTotalSpace();
    } catch (IOException e) {
      total = -1;
    }
    views.render(request, response, 200, VIEW, new SettingsPage(fixed.version(), fixed.dataDir(), fixed.backupDir(),
        ByteSize.format(free), ByteSize.format(total), fixed.timeZone(),
        fixed.encryptionKey(), fixed.keyGenerated(), fixed.authentication(), fixed.archives(), fixed.providers(), notifier.recentDeliveries()));
  }
}
