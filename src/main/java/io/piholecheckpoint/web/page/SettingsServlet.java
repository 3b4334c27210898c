package io.piholecheckpoint.web.page;

import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.backup.events.Notifications;
import io.piholecheckpoint.core.units.ByteSize;
import io.piholecheckpoint.web.Paths;
import io.piholecheckpoint.web.QueryParameters;
import io.piholecheckpoint.web.Routes;
import io.piholecheckpoint.web.Views;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /settings}: what this installation is and how it is set up — never a secret value —
 * with the off-site destinations; {@code POST /settings/offsite/{name}/test}: a Test of one
 * destination from a form, for browsers without JavaScript (the page shows its outcome after the redirect);
 * {@code POST /settings/offsite/{name}/adopt}: what the destination holds taken into the history (disaster recovery);
 * {@code POST /settings/offsite/{name}/check}: Check again, the copies there marked damaged read back now.
 */
public final class SettingsServlet extends PageServlet {
  /** The addresses it serves and their methods (see {@link Routes}). */
  public static final List<String> ROUTES = List.of(
      "GET /settings",
      "POST /settings/offsite/{name}/test",
      "POST /settings/offsite/{name}/adopt",
      "POST /settings/offsite/{name}/check");
  private static final String VIEW = "settings/index.ftlh";

  /**
   * The settings page; {@code encryptionKey} says where the key is, not what it is.
   *
   * @param passphraseUnchecked destinations that could not be read yet to check the passphrase, with the next try; or null
   * @param passphraseProblem BACKUP_ENCRYPTION_PASSPHRASE does not open the copies a destination holds (found at this start), or null
   */
  public record SettingsPage(String version, String dataDir, String backupDir, String diskFree, String diskTotal, String timeZone,
                             String encryptionKey, boolean keyGenerated, String authentication, String archives, List<String> providers,
                             List<Notifications.Delivery> deliveries, String originalImport, List<OffsiteView.DestinationRow> destinations,
                             String database, String mode, String passphraseProblem, String passphraseUnchecked) {
  }

  /**
   * How this process was started, fixed while it runs; {@code encryptionKeySource} says where the key is, never the key.
   *
   * @param originalImport what was carried over from Pi-hole Checkpoint 1.x, or null
   * @param database the SQLite file, or the PostgreSQL URL with any password in it masked
   * @param mode single (one process) or cluster, in words
   */
  public record Installation(String version, Path dataDir, String timeZone, String encryptionKeySource, boolean signInRequired,
                             boolean archivesEncrypted, String originalImport, String database, String mode) {
  }

  private final ArchiveStore archives;
  private final Notifications notifications;
  private final SettingsPage fixed;
  private final OffsiteView offsite;
  private final Supplier<Optional<String>> passphrase;
  private final Supplier<Optional<String>> passphraseUnchecked;

  /** @param passphrase what the check of the passphrase against the destinations' copies found at this start */
  public SettingsServlet(ArchiveStore archives, Notifications notifications, OffsiteView offsite, Installation installation,
                         Supplier<Optional<String>> passphrase, Supplier<Optional<String>> passphraseUnchecked, Views views) {
    super(views);
    this.passphrase = passphrase;
    this.passphraseUnchecked = passphraseUnchecked;
    this.archives = archives;
    this.notifications = notifications;
    this.offsite = offsite;
    String keySource = installation.encryptionKeySource();
    this.fixed = new SettingsPage(installation.version(), installation.dataDir().toString(), archives.directory().toString(), null, null,
        installation.timeZone(), keySource, keySource.startsWith("generated"),
        installation.signInRequired() ? "on (APP_PASSWORD)" : "off — anyone who can reach this page can use it; set APP_PASSWORD",
        installation.archivesEncrypted() ? "new archives are encrypted (OpenPGP, AES-256; BACKUP_ENCRYPTION_PASSPHRASE)"
            : "stored as plain ZIP files (mode 0600)",
        notifications.providerNames(), List.of(), installation.originalImport(), List.of(), installation.database(), installation.mode(), null, null);
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    QueryParameters.of(request);
    long free = archives.usableBytes();
    long total;
    try {
      total = Files.getFileStore(archives.directory()).getTotalSpace();
    } catch (IOException e) {
      total = -1;
    }
    views.render(request, response, 200, VIEW, new SettingsPage(fixed.version(), fixed.dataDir(), fixed.backupDir(),
        ByteSize.format(free), ByteSize.format(total), fixed.timeZone(),
        fixed.encryptionKey(), fixed.keyGenerated(), fixed.authentication(), fixed.archives(), fixed.providers(),
        notifications.recentDeliveries(), fixed.originalImport(), offsite.destinations(), fixed.database(), fixed.mode(),
        passphrase.get().orElse(null), passphraseUnchecked.get().orElse(null)));
  }

  /** Post, redirect, get: the outcome is kept with the destination and shown beside it, and a reload tests nothing again. */
  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    QueryParameters.of(request);
    String[] parts = Paths.segments(request);
    if (parts.length != 2 || !List.of("test", "adopt", "check").contains(parts[1])) {
      response.sendError(404);
      return;
    }
    String name = switch (parts[1]) {
      case "test" -> offsite.test(parts[0]);
      case "adopt" -> offsite.adopt(parts[0]);
      default -> offsite.checkAgain(parts[0]);
    };
    seeOther(request, response, "/settings#offsite-" + name);
  }
}
