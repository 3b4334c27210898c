package io.piholecheckpoint.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** GnuPG itself (Debian's gnupg), to prove our encrypted archives are plain OpenPGP. */
public final class Gpg {
  private final Path home;

  public Gpg(Path home) throws IOException {
    this.home = Files.createDirectories(home);
    Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
  }

  public void decrypt(Path encrypted, Path plain, String passphrase) throws Exception {
    run(passphrase, "--output", plain.toString(), "--decrypt", encrypted.toString());
  }

  /** {@code gpg --symmetric} with its defaults (which compress). */
  public void encrypt(Path plain, Path encrypted, String passphrase) throws Exception {
    run(passphrase, "--output", encrypted.toString(), "--symmetric", "--cipher-algo", "AES256", plain.toString());
  }

  private void run(String passphrase, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("gpg", "--homedir", home.toString(), "--batch", "--yes", "--quiet",
        "--pinentry-mode", "loopback", "--passphrase-fd", "0"));
    command.addAll(List.of(args));
    Process gpg = new ProcessBuilder(command).redirectErrorStream(true).start();
    gpg.getOutputStream().write((passphrase + "\n").getBytes(StandardCharsets.UTF_8));
    gpg.getOutputStream().close();
    String output = new String(gpg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!gpg.waitFor(60, TimeUnit.SECONDS) || gpg.exitValue() != 0) {
      throw new AssertionError("gpg " + String.join(" ", args) + " failed:\n" + output);
    }
  }
}
