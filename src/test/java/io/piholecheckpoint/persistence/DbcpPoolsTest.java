package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import org.apache.commons.dbcp2.BasicDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What DbcpPools changes for the time it initialises dbcp2 is undone: JMX works for whoever asks later. */
class DbcpPoolsTest {
  @TempDir
  Path dir;

  @Test
  void aPoolConnectsAndThePlatformsMBeanServerIsStillThereForWhoeverAsksForIt() throws Exception {
    try (BasicDataSource pool = DbcpPools.newPool()) {
      pool.setUrl("jdbc:sqlite:" + dir.resolve("t.db"));
      try (Connection connection = pool.getConnection(); ResultSet one = connection.createStatement().executeQuery("SELECT 1")) {
        assertThat(one.next()).isTrue();
      }
    }

    assertThat(System.getProperty("javax.management.builder.initial")).isNull();
    assertThat(ManagementFactory.getPlatformMBeanServer().getMBeanCount()).isPositive();
  }
}
