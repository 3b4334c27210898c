package io.piholecheckpoint.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The environment has one reader; everything else gets its values from it. Run from {@link io.piholecheckpoint.CoreArchitectureTest},
 * which imports the classes once.
 */
public final class SettingsReaderRules {
  private SettingsReaderRules() {
  }

  @ArchTest
  public static final ArchRule onlySettingsReadsTheEnvironment = noClasses().that().doNotHaveFullyQualifiedName(Settings.class.getName())
      // the launcher runs before the web app, outside the WAR: it reads only PORT, BIND_ADDRESS and HTTP_IDLE_TIMEOUT_SECONDS
      .and().resideOutsideOfPackage("io.piholecheckpoint.launcher..")
      .should().callMethod(System.class, "getenv").orShould().callMethod(System.class, "getenv", String.class)
      .because("a setting read in two places is validated in two ways");

  @ArchTest
  public static final ArchRule theCoreReadsNoFiles = noClasses().that().resideInAPackage("io.piholecheckpoint.core.instance..")
      .should().callMethod(java.nio.file.Files.class, "readString", java.nio.file.Path.class)
      .orShould().callMethod(java.nio.file.Files.class, "readString", java.nio.file.Path.class, java.nio.charset.Charset.class)
      .because("files that settings name (CA files, *_FILE secrets) are read by the app and handed in as text");
}
