package io.piholecheckpoint;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.piholecheckpoint", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreArchitectureTest {

  @ArchTest
  static final ArchRule coreKnowsNoFrameworks = noClasses().that().resideInAPackage("io.piholecheckpoint.core..")
      .should().dependOnClassesThat().resideInAnyPackage("jakarta.servlet..", "org.eclipse.jetty..", "freemarker..",
          "org.quartz..", "org.apache.ibatis..", "com.fasterxml.jackson..")
      .because("the core is plain Java; adapters depend on it, never the other way round");

  @ArchTest
  static final ArchRule coreDependsOnNoAdapter = noClasses().that().resideInAPackage("io.piholecheckpoint.core..")
      .should().dependOnClassesThat().resideInAnyPackage("io.piholecheckpoint.web..", "io.piholecheckpoint.persistence..",
          "io.piholecheckpoint.pihole..", "io.piholecheckpoint.scheduling..", "io.piholecheckpoint.app..", "io.piholecheckpoint.launcher..");

  @ArchTest
  static final ArchRule onlyTheLauncherKnowsJetty = noClasses().that().resideOutsideOfPackage("io.piholecheckpoint.launcher..")
      .should().dependOnClassesThat().resideInAPackage("org.eclipse.jetty..")
      .because("the WAR must deploy into any servlet container");
}
