package io.piholecheckpoint.testing;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * The unit run tries each property a fifth of the times its {@code @Property(tries = …)} says
 * (at least ten): the generated archives and schedules made the few properties most of the run's
 * time. {@code -Dproperties.fullTries=true} tries each as often as it says (registered for every
 * property in META-INF/services).
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
