package io.piholecheckpoint.web;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** What web may depend on. Run from {@link io.piholecheckpoint.CoreArchitectureTest}, which imports the classes once. */
public final class WebArchitectureRules {
  private WebArchitectureRules() {
  }

  @ArchTest
  public static final ArchRule webDependsOnTheCoreOnly = noClasses().that().resideInAPackage("io.piholecheckpoint.web..")
      .should().dependOnClassesThat().resideInAnyPackage("io.piholecheckpoint.persistence..", "io.piholecheckpoint.scheduling..",
          "io.piholecheckpoint.pihole..", "io.piholecheckpoint.teleporter..", "io.piholecheckpoint.metrics..", "io.piholecheckpoint.notify..",
          "io.piholecheckpoint.crypto..", "io.piholecheckpoint.app..", "io.piholecheckpoint.launcher..")
      .because("what web needs of an adapter, the composition root passes as a core type");

  @ArchTest
  public static final ArchRule sharedWebKnowsNoFeature = noClasses().that().resideInAPackage("io.piholecheckpoint.web")
      .should().dependOnClassesThat().resideInAnyPackage("io.piholecheckpoint.web.page..", "io.piholecheckpoint.web.api..",
          "io.piholecheckpoint.web.access..")
      .because("pages, API and access build on what web shares, not the other way round");

  @ArchTest
  public static final ArchRule pagesAreNotTheApi = noClasses().that().resideInAPackage("io.piholecheckpoint.web.page..")
      .should().dependOnClassesThat().resideInAnyPackage("io.piholecheckpoint.web.api..", "io.piholecheckpoint.web.access..");

  @ArchTest
  public static final ArchRule theApiIsNotThePages = noClasses().that().resideInAPackage("io.piholecheckpoint.web.api..")
      .should().dependOnClassesThat().resideInAnyPackage("io.piholecheckpoint.web.page..", "io.piholecheckpoint.web.access..");

  @ArchTest
  public static final ArchRule accessServesBoth = noClasses().that().resideInAPackage("io.piholecheckpoint.web.access..")
      .should().dependOnClassesThat().resideInAnyPackage("io.piholecheckpoint.web.page..", "io.piholecheckpoint.web.api..");
}
