package io.piholecheckpoint.persistence;

import java.lang.management.ManagementFactory;
import org.apache.commons.dbcp2.BasicDataSource;

/**
 * commons-dbcp2's pools, without the platform's MBean server that dbcp2 would start for them. Two of its classes
 * (ObjectNameWrapper, which a pool's first connection initialises, and PoolableConnection) ask for that server in their
 * static initialisers whatever a pool's JMX settings, and use it only for a pool or connection given a JMX name, which
 * ours never are. Starting it registers every platform MXBean: ~1.5 MiB resident and ~0.1 s of CPU of a start
 * (bench/RESULTS.md). Both classes are initialised here, once, while the JDK cannot make the server (the MBean server
 * builder it is told to use does not exist), which dbcp2 takes as "JMX not available". The server itself is left to whoever
 * asks for it later, and they get it: the JVM metrics at the first scrape of /metrics, a JMX agent.
 */
final class DbcpPools {
  private DbcpPools() {
  }

  /** A new pool, of a JVM in which dbcp2 no longer asks for the platform's MBean server. */
  static BasicDataSource newPool() {
    WithoutMBeanServer.initialised();
    return new BasicDataSource();
  }

  /** Its class initialisation does the work once per JVM, before any pool can make a connection. */
  private static final class WithoutMBeanServer {
    private static final String BUILDER = "javax.management.builder.initial";
    private static final String[] ASKING = {"org.apache.commons.dbcp2.ObjectNameWrapper", "org.apache.commons.dbcp2.PoolableConnection"};

    static {
      // getPlatformMBeanServer holds this monitor: no other thread asks for the server (and is refused) meanwhile. No
      // deadlock with a thread that holds it and initialises these classes: every pool of the app is made here, after this.
      synchronized (ManagementFactory.class) {
        String builder = System.getProperty(BUILDER);
        System.setProperty(BUILDER, DbcpPools.class.getName() + "$NoSuchBuilder");
        try {
          for (String name : ASKING) {
            Class.forName(name, true, BasicDataSource.class.getClassLoader());
          }
        } catch (ClassNotFoundException e) {
          throw new IllegalStateException("commons-dbcp2 no longer has " + e.getMessage() + ": see which of its classes ask for the MBean server", e);
        } finally {
          if (builder == null) {
            System.clearProperty(BUILDER);
          } else {
            System.setProperty(BUILDER, builder);
          }
        }
      }
    }

    static void initialised() {
      // nothing more: calling it is what initialises the class
    }
  }
}
