package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.RawHttp;
import io.piholecheckpoint.testing.RunningApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start opens the catalogue's pool and Quartz's (commons-dbcp2), whose classes would start the platform's MBean server,
 * ~1.5 MiB resident and ~0.1 s of CPU, for JMX names our pools never have (DbcpPools). The class-load log tells: the JDK's
 * MBean server class is loaded only when a server is made. Nor do the JVM's metrics need one (MetricCounters).
 */
class NoMBeanServerAtStartIT {
  private static final String MBEAN_SERVER = "com.sun.jmx.mbeanserver.JmxMBeanServer ";

  @TempDir
  Path dir;

  @Test
  void theStartOpensItsPoolsWithoutStartingThePlatformsMBeanServerAndMetricsStillHaveTheJvms() throws Exception {
    Path classes = dir.resolve("classes.log");
    Map<String, String> env = Map.of("PIHOLE_HOME_URL", "http://127.0.0.1:9",
        "JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx128m -Xlog:class+load=info:file=" + classes);
    try (RunningApp app = RunningApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
      RawHttp.Answer health = RawHttp.exchange(app.port(), "GET /health HTTP/1.1\nHost: 127.0.0.1\nConnection: close", "");
      RawHttp.Answer instances = RawHttp.exchange(app.port(), "GET /api/v1/instances HTTP/1.1\nHost: 127.0.0.1\nConnection: close", "");

      assertThat(health.status()).isEqualTo(200);
      assertThat(instances.status()).as("read through the catalogue's pool").isEqualTo(200);
      assertThat(instances.body()).contains("\"HOME\"");
      assertThat(Files.readString(classes)).contains("org.apache.commons.dbcp2.PoolableConnection ").doesNotContain(MBEAN_SERVER);

      RawHttp.Answer metrics = RawHttp.exchange(app.port(), "GET /metrics HTTP/1.1\nHost: 127.0.0.1\nConnection: close", "");

      assertThat(metrics.status()).isEqualTo(200);
      assertThat(metrics.body()).contains("jvm_memory_used_bytes{", "jvm_threads_current ");
      assertThat(Files.readString(classes)).as("nor do the JVM's metrics, native memory not tracked").doesNotContain(MBEAN_SERVER);
    }
  }
}
