package io.piholecheckpoint.testing;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * For a test class that adds it ({@code @AddLifecycleHook(UnitRunTries.class)}): the unit run tries
 * each of its properties a fifth of the times its {@code @Property(tries = …)} says (at least ten),
 * because the archives and schedules they generate made a few properties a third of the run's time.
 * {@code -Dproperties.fullTries=true} tries each as often as it says. Not for a property that checks
 * the coverage of its generated cases (those counts need every try).
 */
public final class UnitRunTries implements AroundPropertyHook {
  static final String FULL = "properties.fullTries";
  private static final int SHARE = 5;
  private static final int AT_LEAST = 10;

  @Override
  public PropagationMode propagateTo() {
    return PropagationMode.ALL_DESCENDANTS;
  }

  @Override
  public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
    if (!Boolean.getBoolean(FULL)) {
      context.attributes().tries().ifPresent(tries -> context.attributes().setTries(Math.min(tries, Math.max(AT_LEAST, tries / SHARE))));
    }
    return property.execute();
  }
}
