package io.piholecheckpoint.testing;

import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.LocationProvider;
import io.piholecheckpoint.app.Application;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Where the architecture tests read our production classes: the one class folder (or jar) that
 * holds them. Naming the package instead makes ArchUnit walk every jar and JDK module on the class
 * path for entries under it, which was two thirds of the import both architecture tests share.
 */
public final class ProductionClasses implements LocationProvider {

  @Override
  public Set<Location> get(Class<?> testClass) {
    try {
      return Set.of(Location.of(Path.of(Application.class.getProtectionDomain().getCodeSource().getLocation().toURI())));
    } catch (URISyntaxException e) {
      throw new IllegalStateException("the class path names our classes by an unreadable address", e);
    }
  }
}
