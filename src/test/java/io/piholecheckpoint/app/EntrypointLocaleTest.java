package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The locale entrypoint.sh starts the JVMs in: the real script, in a layout like the image's, with a
 * {@code java} on the PATH that only prints the locale it was given (the JVM's own part, decoding the
 * environment, is the name rules' tests).
 */
class EntrypointLocaleTest {
  @TempDir
  Path dir;

  @Test
  void withNoLocaleTheServerStartsInUtf8() throws Exception {
    assertThat(serveWith()).isEqualTo("LANG=C.UTF-8 LC_ALL=- LC_CTYPE=-");
  }

  @Test
  void aLocaleTheUserChoseIsKept() throws Exception {
    assertThat(serveWith("LANG=en_US.ISO-8859-1")).isEqualTo("LANG=en_US.ISO-8859-1 LC_ALL=- LC_CTYPE=-");
    assertThat(serveWith("LC_ALL=POSIX")).isEqualTo("LANG=- LC_ALL=POSIX LC_CTYPE=-");
    assertThat(serveWith("LC_CTYPE=de_DE.UTF-8")).isEqualTo("LANG=- LC_ALL=- LC_CTYPE=de_DE.UTF-8");
  }

  /** What {@code env -i VARIABLES entrypoint.sh serve} hands java. */
  private String serveWith(String... variables) throws IOException, InterruptedException {
    Path app = dir.resolve("app");
    if (!Files.exists(app)) {
      Files.createDirectories(app.resolve("webapp/WEB-INF"));
      Files.createDirectories(app.resolve("lib"));
      Files.createDirectories(app.resolve("etc"));
      Files.writeString(app.resolve("launcher.jar"), "");
      Files.copy(Path.of("entrypoint.sh"), app.resolve("entrypoint.sh"));
      Path bin = Files.createDirectories(dir.resolve("bin"));
      Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\necho \"LANG=${LANG:--} LC_ALL=${LC_ALL:--} LC_CTYPE=${LC_CTYPE:--}\"\n");
      Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
    }
    List<String> command = new ArrayList<>(List.of("env", "-i", "PATH=" + dir.resolve("bin") + ":/usr/bin:/bin"));
    command.addAll(List.of(variables));
    command.addAll(List.of("sh", app.resolve("entrypoint.sh").toString(), "serve"));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }
}
