package io.piholecheckpoint.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * {@code entrypoint.sh cds}: copies sqlite-jdbc's native library for this machine out of its jar
 * into a directory, once per build. Pointed at it ({@code org.sqlite.lib.path}), each JVM loads it
 * from there; otherwise every start extracts it to a temp file and compares the copy with the jar's
 * byte by byte, in interpreted code (about 0.1 s of each of the two JVMs' starts).
 */
public final class SqliteLibraryCommand {
  private SqliteLibraryCommand() {
  }

  /** Usage: {@code SqliteLibraryCommand <directory>}; prints the library's file name. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: SqliteLibraryCommand <directory to copy the native SQLite library into>");
      System.exit(2);
    }
    String name = LibraryLoaderUtil.getNativeLibName();
    String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name;
    try (InputStream library = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
      if (library == null) {
        System.err.println("sqlite-jdbc carries no native library for this machine (" + resource + "); starts will use its usual loading");
        System.exit(1);
      }
      Path dir = Files.createDirectories(Path.of(args[0]));
      Path part = dir.resolve(name + ".part");
      Files.copy(library, part, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(part, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    System.out.println(name);
  }
}
