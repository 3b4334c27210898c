package io.piholecheckpoint.persistence;

import java.nio.file.Path;
import org.apache.commons.dbcp2.BasicDataSource;

/** The catalogue's connection pool as each dialect wants it: SQLite's one writer at a time, a PostgreSQL server shared by the nodes. */
final class DialectPools {
  private DialectPools() {
  }

  /** @param pragmas the connection's settings ({@code Database}'s, busy wait included) */
  static BasicDataSource sqlite(Path file, String pragmas) {
    BasicDataSource pool = DbcpPools.newPool();
    pool.setDriverClassName("org.sqlite.JDBC");
    pool.setUrl("jdbc:sqlite:" + file);
    pool.setConnectionProperties(pragmas);
    pool.setMaxTotal(4);
    pool.setMaxIdle(2);
    pool.setMinIdle(0);
    pool.setMaxWait(java.time.Duration.ofSeconds(10));
    return pool;
  }

  /** @param seconds how long one attempt to connect may take */
  static BasicDataSource postgres(String url, String user, String password, int seconds) {
    BasicDataSource pool = DbcpPools.newPool();
    pool.setDriverClassName("org.postgresql.Driver");
    pool.setUrl(url);
    pool.setUsername(user);
    pool.setPassword(password);
    pool.setConnectionProperties("connectTimeout=" + seconds);
    // a server is shared by the nodes of a cluster: a few connections each, not SQLite's one writer (Quartz's
    // clustered store has a pool of its own, schedulerPool)
    pool.setMaxTotal(12);
    pool.setMaxIdle(4);
    pool.setMinIdle(0);
    pool.setMaxWait(java.time.Duration.ofSeconds(10));
    pool.setValidationQuery("SELECT 1");
    pool.setTestOnBorrow(true); // a server restarted, or a connection a firewall cut, is replaced, not handed out
    return pool;
  }
}
