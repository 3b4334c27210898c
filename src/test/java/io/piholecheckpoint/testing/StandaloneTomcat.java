package io.piholecheckpoint.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The WAR, unchanged, as ROOT.war in a stock Apache Tomcat 11 (unpacked by Maven before the
 * integration tests), configured by JVM system properties instead of the environment, on a free
 * loopback port. {@link #start} returns at once; wait for {@code /health} before using it.
 */
public final class StandaloneTomcat implements AutoCloseable {
  private final Process process;
  private final Path output;
  private final int port;

  private StandaloneTomcat(Process process, Path output, int port) {
    this.process = process;
    this.output = output;
    this.port = port;
  }

  /** Starts Tomcat in a base under {@code dir}, with {@code properties} as {@code -D} system properties. */
  public static StandaloneTomcat start(Path dir, Map<String, String> properties) throws Exception {
    Path home = Path.of(System.getProperty("checkpoint.tomcatHome"));
    Path war = Path.of(System.getProperty("checkpoint.home", ".")).resolve("target/pihole-checkpoint.war");
    Path base = Files.createDirectories(dir.resolve("tomcat-base"));
    int port = Ports.unused();
    Files.createDirectories(base.resolve("conf"));
    for (String file : List.of("catalina.properties", "context.xml", "logging.properties", "tomcat-users.xml", "web.xml")) {
      Files.copy(home.resolve("conf").resolve(file), base.resolve("conf").resolve(file));
    }
    String server = Files.readString(home.resolve("conf/server.xml"), StandardCharsets.UTF_8)
        .replace("port=\"8005\"", "port=\"-1\"").replace("port=\"8080\"", "port=\"" + port + "\" address=\"127.0.0.1\"");
    Files.writeString(base.resolve("conf/server.xml"), server);
    for (String d : List.of("logs", "temp", "work", "webapps")) {
      Files.createDirectories(base.resolve(d));
    }
    Files.copy(war, base.resolve("webapps/ROOT.war"));

    List<String> command = new ArrayList<>(List.of("java", "-Xmx128m"));
    command.addAll(RunningApp.QUICK_JVM); // the WAR in a stock container is tested, not the JVM's JIT or collector
    properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    // as catalina.sh starts it: Tomcat's own log manager keeps logging through its stop, where its leak checks report
    command.addAll(List.of("-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
        "-Djava.util.logging.config.file=" + base.resolve("conf/logging.properties")));
    command.addAll(List.of("-Dcatalina.home=" + home, "-Dcatalina.base=" + base, "-Djava.io.tmpdir=" + base.resolve("temp"),
        "-cp", home.resolve("bin/bootstrap.jar") + ":" + home.resolve("bin/tomcat-juli.jar"),
        "org.apache.catalina.startup.Bootstrap", "start"));
    Path output = dir.resolve("tomcat.out");
    // (its own java.io.tmpdir above is sqlite-jdbc's folder too: no other JVM's copies to race for)
    Process tomcat = StartedProcesses.start(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()));
    return new StandaloneTomcat(tomcat, output, port);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public int port() {
    return port;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  public String log() throws java.io.IOException {
    return Files.readString(output);
  }

  @Override
  public void close() throws InterruptedException {
    process.toHandle().destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      StartedProcesses.kill(process);
    }
  }
}
