package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirstLoggerTest {
  @TempDir
  Path dir;

  @Test
  void findsTheConfigurationInADirectoryOfTheClassPathWithoutAskingTheClassPathsLoader() throws Exception {
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Files.writeString(etc.resolve("simplelogger.properties"), "org.slf4j.simpleLogger.defaultLogLevel=warn\n");
    Recording jars = new Recording();

    URL found = new FirstLogger.DirectoriesFirst(List.of(etc), jars).getResource("simplelogger.properties");

    assertThat(found).isEqualTo(etc.resolve("simplelogger.properties").toUri().toURL());
    assertThat(jars.asked).as("the loader that opens every jar to look").isEmpty();
  }

  @Test
  void looksThroughTheWholeClassPathWhenNoDirectoryHoldsIt() throws Exception {
    Path jar = dir.resolve("config.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new ZipEntry("simplelogger.properties"));
      out.write("org.slf4j.simpleLogger.defaultLogLevel=debug\n".getBytes());
    }
    Path empty = Files.createDirectories(dir.resolve("etc"));
    try (var classPath = new java.net.URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      URL found = new FirstLogger.DirectoriesFirst(List.of(empty), classPath).getResource("simplelogger.properties");

      assertThat(found).isNotNull();
      assertThat(found.toString()).startsWith("jar:").endsWith("config.jar!/simplelogger.properties");
    }
  }

  @Test
  void leavesEveryOtherResourceToTheClassPath() throws Exception {
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Files.writeString(etc.resolve("other.properties"), "x=1\n");
    Recording jars = new Recording();

    assertThat(new FirstLogger.DirectoriesFirst(List.of(etc), jars).getResource("other.properties")).isNull();
    assertThat(jars.asked).containsExactly("other.properties");
  }

  @Test
  void takesTheDirectoriesOfTheClassPathInOrder() throws Exception {
    Path first = Files.createDirectories(dir.resolve("a"));
    Path second = Files.createDirectories(dir.resolve("b"));
    Path jar = Files.createFile(dir.resolve("lib.jar"));
    String classPath = String.join(File.pathSeparator, jar.toString(), second.toString(), dir.resolve("gone").toString(), first.toString());

    assertThat(FirstLogger.classPathDirectories(classPath)).containsExactly(second, first);
  }

  /** The whole class path as the loader sees it: holds nothing, and notes what it was asked for. */
  private static final class Recording extends ClassLoader {
    final List<String> asked = new ArrayList<>();

    Recording() {
      super(null);
    }

    @Override
    protected URL findResource(String name) {
      asked.add(name);
      return null;
    }
  }
}
