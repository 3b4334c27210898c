package io.piholecheckpoint.persistence;

import java.util.function.Supplier;

/** A JAXP factory of ours named by its system property for the mapper parse alone (MyBatis takes its factories from there). */
final class JaxpFactories {
  private JaxpFactories() {
  }

  /**
   * Runs {@code work} with {@code factory} named by {@code property}, unless a factory was named already, and names none again
   * afterwards: the property is the JVM's, and in a servlet container other web apps share it.
   */
  static <T> T whileNamed(String property, Class<?> factory, Supplier<T> work) {
    boolean ours = System.getProperty(property) == null;
    if (ours) {
      System.setProperty(property, factory.getName());
    }
    try {
      return work.get();
    } finally {
      if (ours) {
        System.clearProperty(property);
      }
    }
  }
}
