package io.piholecheckpoint.core.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The one reader of files Checkpoint reads whole because a setting names them or it keeps them itself (a {@code _FILE}
 * secret, the field encryption key, a CA certificate, a known_hosts file). Only a regular file is read: opening a FIFO
 * blocks until somebody writes to it, so the start (or an instance's backup) would wait forever, and a device such as
 * /dev/zero never ends. The size is capped, as a secret of megabytes is a mistake (a wrong file named), not a secret.
 */
public final class SecretFiles {
  /** Far above any password, token, key or passphrase; a whole CA bundle fits in {@link #CERTIFICATES}. */
  public static final long SECRET = 64 * 1024;
  /** For certificates and known_hosts files, which list many entries. */
  public static final long CERTIFICATES = 4 * 1024 * 1024;

  private SecretFiles() {
  }

  /**
   * The file's text.
   *
   * @param what the file as the message names it, path included: {@code APP_PASSWORD_FILE=/run/secrets/pw}, "the generated key file /data/…"
   * @param followLinks whether a symbolic link is read as what it points at (a setting's file) or refused (a file of Checkpoint's own)
   * @throws OwnedPaths.Unusable when it is not a regular file (or a link where links are refused) or larger than {@code maxBytes}
   * @throws IOException when it cannot be read (missing, no permission)
   */
  public static String read(Path file, String what, long maxBytes, boolean followLinks, Charset charset) throws IOException {
    LinkOption[] options = check(file, what, maxBytes, followLinks);
    try (InputStream in = Files.newInputStream(file, options)) {
      // read one byte past the cap: a file that grew (or was swapped) since the check above is still refused, never read whole
      byte[] bytes = in.readNBytes((int) maxBytes + 1);
      if (bytes.length > maxBytes) {
        throw tooLarge(what, maxBytes);
      }
      return new String(bytes, charset);
    }
  }

  /**
   * The checks {@link #read} makes before it opens the file, for a file that a library opens itself (a known_hosts file
   * MINA SSHD reads): called right before it does, so that a FIFO there is refused rather than waited on forever.
   *
   * @return the link options the file passed with, to open it with
   * @throws OwnedPaths.Unusable as {@link #read}
   * @throws IOException when it is missing or its attributes cannot be read
   */
  public static LinkOption[] check(Path file, String what, long maxBytes, boolean followLinks) throws IOException {
    LinkOption[] options = followLinks ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
    BasicFileAttributes found = Files.readAttributes(file, BasicFileAttributes.class, options);
    if (found.isSymbolicLink()) {
      throw new OwnedPaths.Unusable(what + " is a symbolic link (to " + OwnedPaths.linkTarget(file)
          + "), which is not followed there: put the file itself in its place");
    }
    if (!found.isRegularFile()) {
      String is = found.isDirectory() ? "a folder" : "not a regular file (a FIFO, a socket or a device, which could block or never end)";
      throw new OwnedPaths.Unusable(what + " is " + is + ": name a regular file that holds the value");
    }
    if (found.size() > maxBytes) {
      throw tooLarge(what, maxBytes);
    }
    return options;
  }

  private static OwnedPaths.Unusable tooLarge(String what, long maxBytes) {
    return new OwnedPaths.Unusable(what + " is larger than " + maxBytes / 1024 + " KiB, far more than such a value"
        + " takes: it is likely the wrong file — name the file that holds only the value");
  }

  /**
   * Why a file could not be read, in words: the JDK's message for a missing file is its path alone, so that
   * "cannot read X=/x: /x" said nothing.
   */
  public static String why(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage();
  }
}
