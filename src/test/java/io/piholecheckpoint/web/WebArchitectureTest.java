package io.piholecheckpoint.web;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.piholecheckpoint.testing.ProductionClasses;

@AnalyzeClasses(locations = ProductionClasses.class, importOptions = ImportOption.DoNotIncludeTests.class)
class WebArchitectureTest {

  @ArchTest
  static final ArchRule webDependsOnTheCoreOnly = noClasses().that().resideInAPackage("io.piholecheckpoint.web..")
      .should().dependOnClassesThat().resideInAnyPackage("io.piholecheckpoint.persistence..", "io.piholecheckpoint.scheduling..",
          "io.piholecheckpoint.pihole..", "io.piholecheckpoint.teleporter..", "io.piholecheckpoint.metrics..", "io.piholecheckpoint.notify..",
          "io.piholecheckpoint.crypto..", "io.piholecheckpoint.app..", "io.piholecheckpoint.launcher..")
      .because("what web needs of an adapter, the composition root passes as a core type");

  @ArchTest
  static final ArchRule sharedWebKnowsNoFeature = noClasses().that().resideInAPackage("io.piholecheckpoint.web")
      .should().dependOnClassesThat().resideInAnyPackage("io.piholecheckpoint.web.page..", "io.piholecheckpoint.web.api..",
          "io.piholecheckpoint.web.access..")
      .because("pages, API and access build on what web shares, not the other way round");

  @ArchTest
  static final ArchRule pagesAreNotTheApi = noClasses().that().resideInAPackage("io.piholecheckpoint.web.page..")
      .should().dependOnClassesThat().resideInAnyPackage("io.piholecheckpoint.web.api..", "io.piholecheckpoint.web.access..");

  @ArchTest
  static final ArchRule theApiIsNotThePages = noClasses().that().resideInAPackage("io.piholecheckpoint.web.api..")
      .should().dependOnClassesThat().resideInAnyPackage("io.piholecheckpoint.web.page..", "io.piholecheckpoint.web.access..");

  @ArchTest
  static final ArchRule accessServesBoth = noClasses().that().resideInAPackage("io.piholecheckpoint.web.access..")
      .should().dependOnClassesThat().resideInAnyPackage("io.piholecheckpoint.web.page..", "io.piholecheckpoint.web.api..");
}
