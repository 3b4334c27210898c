package io.piholecheckpoint.web.page;

import io.piholecheckpoint.core.contents.ContentDiff;
import io.piholecheckpoint.core.restore.record.Restore;
import io.piholecheckpoint.core.restore.parts.RestoreMode;
import io.piholecheckpoint.core.restore.parts.RestoreParts;
import io.piholecheckpoint.core.restore.parts.RestorePreview;
import io.piholecheckpoint.web.Json;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The backup page's restore form as a browser sends it without JavaScript ({@code POST /backups/{id}/restore}): Preview
 * shows what would change, Restore asks for the tick that the script's confirmation dialog asks for otherwise. With
 * JavaScript the page asks the API instead and never posts it. A restore whose preview warns (a password, app password or 2FA that
 * will change) is carried out only when the form carries the {@link #acknowledgement} of those very warnings: the page that
 * showed them (a preview, or the answer to a restore without it) puts it in the form (outsider 51, F4).
 *
 * @param parts the ticked parts of a custom restore, by the form's names
 * @param acknowledged the acknowledgement of the warnings the person was shown, or null
 */
public record RestoreForm(long target, RestoreMode mode, List<String> parts, boolean preview, boolean confirmed, String acknowledged) {
  static final List<String> PART_NAMES = List.of("lists", "localDns", "settings", "identity");
  /** The form's empty choice, offered first when the backup's own Pi-hole is removed: no instance has id 0. */
  static final long NO_TARGET = 0;

  /** The form as sent; a target, mode or action the form does not offer is a 400 naming it. */
  static RestoreForm read(HttpServletRequest request, long ownInstance) {
    String target = request.getParameter("target");
    long targetId;
    try {
      targetId = target == null ? ownInstance : target.isEmpty() ? NO_TARGET : Long.parseLong(target);
    } catch (NumberFormatException e) {
      throw new Json.BadRequestException(400, "bad_request", "target", "target must be the id of an instance");
    }
    String mode = request.getParameter("mode");
    RestoreMode chosen;
    try {
      chosen = RestoreMode.of(mode == null ? RestoreMode.LISTS_AND_DNS.id() : mode);
    } catch (IllegalArgumentException e) {
      throw new Json.BadRequestException(400, "bad_request", "mode", e.getMessage());
    }
    String action = request.getParameter("action");
    if (!"preview".equals(action) && !"restore".equals(action)) {
      throw new Json.BadRequestException(400, "bad_request", "action", "action must be preview or restore");
    }
    List<String> ticked = PART_NAMES.stream().filter(p -> request.getParameter(p) != null).toList();
    return new RestoreForm(targetId, chosen, ticked, action.equals("preview"), "yes".equals(request.getParameter("confirm")),
        request.getParameter("acknowledged"));
  }

  /**
   * What names the warnings shown for this backup, target and choice: a digest of them all, so warnings that changed since (the
   * Pi-hole's 2FA switched on meanwhile, another mode chosen) need a new look. Null when there is nothing to acknowledge. The
   * warnings name variables, never a secret, and a digest of them gives nothing away.
   */
  String acknowledgement(long backupId, RestorePreview found) {
    if (found.warnings().isEmpty()) {
      return null;
    }
    String shown = String.join("\n", backupId + " " + target + " " + mode.id() + " " + parts, String.join("\n", found.warnings()));
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(shown.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  /** Whether the person was shown these warnings (or there are none) and so may restore. */
  boolean acknowledges(long backupId, RestorePreview found) {
    String needed = acknowledgement(backupId, found);
    return needed == null || needed.equals(acknowledged);
  }

  /** Whether the person left the empty choice: the form names no Pi-hole to restore to. */
  boolean noTarget() {
    return target == NO_TARGET;
  }

  /** The parts ticked, for a custom restore; null for the other modes, which restore their own. */
  RestoreParts custom() {
    return mode != RestoreMode.CUSTOM ? null
        : new RestoreParts(parts.contains("lists"), parts.contains("localDns"), parts.contains("settings"), parts.contains("identity"));
  }

  /**
   * What the restore panel shows: open, with what was chosen, and what was found or went wrong.
   *
   * @param preview what the chosen restore would change, or null
   * @param problem why the form was not taken, or null
   * @param restore the restore started from this page, followed until it ends, or null
   * @param acknowledgement of the warnings shown, sent back with the restore that follows, or null
   */
  public record Panel(long target, String mode, List<String> parts, ContentDiff preview, List<String> warnings, String problem, Restore restore,
                      String acknowledgement) {
    /** While it runs the page reloads itself: a browser without JavaScript sees it end. */
    public boolean following() {
      return restore != null && !restore.finished();
    }

    /** False for a restore that ended without doing what was asked, for a look that failed, and for a refused form. */
    public boolean ok() {
      return problem == null && (restore == null || !restore.finished() || restore.state() == Restore.State.VERIFIED);
    }
  }

  Panel previewed(long backupId, RestorePreview found) {
    return new Panel(target, mode.id(), parts, found.changes(), found.warnings(), null, null, acknowledgement(backupId, found));
  }

  /** A restore not carried out: the preview, its warnings first, and why; the form then carries their acknowledgement. */
  Panel previewed(long backupId, RestorePreview found, String problem) {
    return new Panel(target, mode.id(), parts, found.changes(), found.warnings(), problem, null, acknowledgement(backupId, found));
  }

  /** Refused before the tick: the warnings the person already acknowledged stay in view, the changes do not. */
  Panel unticked(long backupId, RestorePreview found, String problem) {
    return new Panel(target, mode.id(), parts, null, found.warnings(), problem, null, acknowledgement(backupId, found));
  }

  Panel refused(String problem) {
    return new Panel(target, mode.id(), parts, null, List.of(), problem, null, null);
  }

  static Panel following(Restore restore) {
    return new Panel(restore.targetId(), restore.mode().id(), List.of(), null, List.of(), null, restore, null);
  }
}
