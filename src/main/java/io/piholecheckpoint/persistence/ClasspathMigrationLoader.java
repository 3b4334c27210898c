package io.piholecheckpoint.persistence;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.apache.ibatis.migration.Change;
import org.apache.ibatis.migration.MigrationLoader;
import org.apache.ibatis.migration.MigrationReader;

/**
 * Loads the migration scripts from the classpath, so that the same scripts run from the
 * command line and from inside a deployed WAR, which may never be unpacked to a directory.
 * A WAR's classpath cannot be listed, hence the index file {@code scripts.list}.
 */
final class ClasspathMigrationLoader implements MigrationLoader {
  static final String DIRECTORY = "db/migrations/";
  private final ClassLoader classLoader = ClasspathMigrationLoader.class.getClassLoader();

  @Override
  public List<Change> getMigrations() {
    try (InputStream index = open(DIRECTORY + "scripts.list");
         BufferedReader lines = new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8))) {
      return lines.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).map(ClasspathMigrationLoader::change)
          .collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new)); // Migrations sorts it in place
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the migration index", e);
    }
  }

  /** "20261127000002_create_instance_and_backup.sql" has id 20261127000002. */
  static Change change(String fileName) {
    int underscore = fileName.indexOf('_');
    String description = fileName.substring(underscore + 1).replaceFirst("\\.sql$", "").replace('_', ' ');
    Change change = new Change(new BigDecimal(fileName.substring(0, underscore)), null, description);
    change.setFilename(fileName);
    return change;
  }

  @Override
  public Reader getScriptReader(Change change, boolean undo) {
    return new MigrationReader(open(DIRECTORY + change.getFilename()), "UTF-8", undo, new Properties());
  }

  @Override
  public Reader getBootstrapReader() {
    return null;
  }

  @Override
  public Reader getOnAbortReader() {
    return null;
  }

  private InputStream open(String resource) {
    InputStream in = classLoader.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("migration resource " + resource + " is missing from the build");
    }
    return in;
  }
}
