package io.piholecheckpoint.testing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A turn that only one test JVM holds at a time (failsafe runs two at once): the classes that
 * work on 1,000,000-domain archives take the same turn, so that they never share the two cores
 * with each other and their time limits mean what they say. A file lock under target/, released
 * by {@link #close()} or by the JVM's end. The suite runs them one after another in one JVM
 * (MillionDomainsIT), so there it is never waited for; it keeps apart runs of single classes.
 */
public final class ExclusiveTurn implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private ExclusiveTurn(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Waits for the turn called {@code name}. */
  public static ExclusiveTurn take(String name) throws IOException {
    Path file = Files.createDirectories(RunningApp.home().resolve("target")).resolve(name + ".lock");
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    return new ExclusiveTurn(channel, channel.lock());
  }

  /**
   * Closes {@code held} in order, then lets the turn go, even when one of them fails to close: the next class gets the
   * turn only once what this one started is down. A null one (not started: the class's setup failed before it) is passed over.
   */
  public void closeAfter(AutoCloseable... held) throws Exception {
    try {
      for (AutoCloseable resource : held) {
        if (resource != null) {
          resource.close();
        }
      }
    } finally {
      close();
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
