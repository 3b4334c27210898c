package io.piholecheckpoint.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The real Teleporter archives of shared/fixtures, copied into the test resources. */
public final class Fixtures {
  private Fixtures() {
  }

  /** Exported from FTL v6.4.1; see src/test/resources/fixtures/README.md. */
  public static byte[] archiveA() {
    return read("teleporter-v6.4.1-a.zip");
  }

  public static byte[] archiveB() {
    return read("teleporter-v6.4.1-b.zip");
  }

  private static byte[] read(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /fixtures/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
