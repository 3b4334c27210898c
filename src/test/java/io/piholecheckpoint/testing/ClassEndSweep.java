package io.piholecheckpoint.testing;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * At the end of each test class, whatever its outcome, kills the processes of {@link StartedProcesses} it left running: a
 * case that failed or timed out before it closed its server must not leave it running while later classes run (nor after
 * the JVM, which only the shutdown hook would otherwise see to). A test JVM runs one class at a time (forks are JVMs), so
 * what is still running then is that class's. Not at the end of a {@code @Nested} class, whose outer class may still use
 * what it started (MillionDomainsIT runs four classes so: its own end sweeps).
 */
public final class ClassEndSweep implements TestExecutionListener {
  private TestPlan plan;

  @Override
  public void testPlanExecutionStarted(TestPlan testPlan) {
    plan = testPlan;
  }

  @Override
  public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
    if (plan != null && isClass(identifier) && plan.getParent(identifier).filter(ClassEndSweep::isClass).isEmpty()) {
      int killed = StartedProcesses.killAll();
      if (killed > 0) {
        System.err.printf("ClassEndSweep: %s left %d process(es) running; killed with their descendants%n", identifier.getDisplayName(), killed);
      }
    }
  }

  private static boolean isClass(TestIdentifier identifier) {
    return identifier.getSource().filter(ClassSource.class::isInstance).isPresent();
  }
}
