package io.piholecheckpoint.persistence;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Properties;
import org.apache.ibatis.migration.Change;
import org.apache.ibatis.migration.MigrationLoader;
import org.apache.ibatis.migration.MigrationReader;

/**
 * Loads the migration scripts from the classpath, so that the same scripts run from the
 * command line and from inside a deployed WAR, which may never be unpacked to a directory.
 * A WAR's classpath cannot be listed, hence the index file {@code scripts.list}.
 *
 * <p>One list for both databases. A script is written once ({@link Dialect#translate} adapts it);
 * one that cannot be (SQLite rebuilds a table to change a CHECK) has a PostgreSQL variant of the
 * same name in {@code postgresql/}, which PostgreSQL runs instead; a line {@code postgresql/…} in the
 * list is a script for PostgreSQL only (Quartz's job store), which SQLite never sees.
 */
final class ClasspathMigrationLoader implements MigrationLoader {
  static final String DIRECTORY = "db/migrations/";
  private final ClassLoader classLoader = ClasspathMigrationLoader.class.getClassLoader();
  private final Dialect dialect;

  ClasspathMigrationLoader(Dialect dialect) {
    this.dialect = dialect;
  }

  @Override
  public List<Change> getMigrations() {
    try (InputStream index = open(DIRECTORY + "scripts.list");
         BufferedReader lines = new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8))) {
      return lines.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .filter(l -> !l.contains("/") || l.startsWith(dialect.id() + "/")).map(ClasspathMigrationLoader::change)
          .collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new)); // Migrations sorts it in place
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the migration index", e);
    }
  }

  /** "20261127000002_create_instance_and_backup.sql" (or "postgresql/2026…") has id 20261127000002. */
  static Change change(String fileName) {
    String name = fileName.substring(fileName.lastIndexOf('/') + 1);
    int underscore = name.indexOf('_');
    String description = name.substring(underscore + 1).replaceFirst("\\.sql$", "").replace('_', ' ');
    Change change = new Change(new BigDecimal(name.substring(0, underscore)), null, description);
    change.setFilename(fileName);
    return change;
  }

  @Override
  public Reader getScriptReader(Change change, boolean undo) {
    if (change.getFilename().contains("/")) {
      return new MigrationReader(open(DIRECTORY + change.getFilename()), "UTF-8", undo, new Properties()); // one dialect's own
    }
    InputStream variant = besideTheIndex(dialect.id() + "/" + change.getFilename());
    if (variant != null) {
      return new MigrationReader(variant, "UTF-8", undo, new Properties());
    }
    try (InputStream common = open(DIRECTORY + change.getFilename())) {
      byte[] script = dialect.translate(new String(common.readAllBytes(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
      return new MigrationReader(new ByteArrayInputStream(script), "UTF-8", undo, new Properties());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the migration " + change.getFilename(), e);
    }
  }

  @Override
  public Reader getBootstrapReader() {
    return null;
  }

  @Override
  public Reader getOnAbortReader() {
    return null;
  }

  /**
   * The script {@code relative} to the index, or null when there is none. Not through the class loader: most scripts
   * have no variant, and a resource that no jar holds makes it open every jar of the class path to be sure (all 69 of
   * the migration step's, most of which its class-data archive leaves unopened: bench/RESULTS.md). The variants live
   * beside their index, in the same jar or directory.
   */
  private InputStream besideTheIndex(String relative) {
    URL index = classLoader.getResource(DIRECTORY + "scripts.list");
    if (index == null) {
      throw new IllegalStateException("migration resource " + DIRECTORY + "scripts.list is missing from the build");
    }
    try {
      return new URL(index, relative).openStream();
    } catch (FileNotFoundException | NoSuchFileException e) {
      return null; // no variant: the common script, translated
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the migration " + relative + " beside " + index, e);
    }
  }

  private InputStream open(String resource) {
    InputStream in = classLoader.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("migration resource " + resource + " is missing from the build");
    }
    return in;
  }
}
