package io.piholecheckpoint.core.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a small file of Checkpoint's own (a mark, a marker) so that power can fail at any instruction: into a temporary file
 * beside it, fsynced, atomically renamed over it, and the rename made durable by an fsync of the folder. A reader then finds
 * the old file or the whole new one, never a part, and a file written is still there after a power cut.
 */
public final class DurableFiles {
  private DurableFiles() {
  }

  public static void write(Path file, byte[] content) throws IOException {
    Path folder = file.toAbsolutePath().getParent();
    Path temp = Files.createTempFile(folder, "." + file.getFileName() + "-", ".part");
    try {
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(content);
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        out.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp); // nothing half-written is left behind
      throw e;
    }
    try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }
}
