package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.files.OwnedPaths;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/**
 * An OS file lock in DATA_DIR, held while this process runs schedules, so that two
 * processes (or two deployments in one JVM) on the same data never both run them. The OS
 * drops the lock when the holder dies, so a crash never leaves it stuck.
 */
final class SchedulerLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private SchedulerLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static Optional<SchedulerLock> tryAcquire(Path file) throws IOException {
    // truncated and written below: a link in its place would have its target overwritten
    FileChannel channel = FileChannel.open(OwnedPaths.file(file), java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS), OwnedPaths.ownerOnlyFile(file));
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by another deployment in this same JVM
    }
    if (lock == null) {
      channel.close();
      return Optional.empty();
    }
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + " since " + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8)));
    return Optional.of(new SchedulerLock(channel, lock));
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
