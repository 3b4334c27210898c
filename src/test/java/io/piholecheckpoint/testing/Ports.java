package io.piholecheckpoint.testing;

import java.io.IOException;
import java.net.ServerSocket;

/** Loopback ports for tests. */
public final class Ports {
  private Ports() {
  }

  /** A port nobody listens on right now: for a server to take, or for a client to be refused on. */
  public static int unused() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
