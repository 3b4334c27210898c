package io.piholecheckpoint.metrics;

import io.prometheus.metrics.instrumentation.jvm.JvmMemoryPoolAllocationMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationFilter;
import javax.management.NotificationListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM's garbage collector beans as {@link JvmMemoryPoolAllocationMetrics} is handed them: each listener it adds is added to
 * the JVM's bean and remembered, so {@link #close} removes it. The client never removes it itself, and a listener left on the
 * JVM's beans, which outlive a web application, keeps the undeployed application's class loader, and all its classes, for good.
 */
final class RemovableGcListeners implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RemovableGcListeners.class);
  private final List<Runnable> removals = new CopyOnWriteArrayList<>();

  /** Registers the allocation counters in {@code registry} with listeners this object can remove. */
  void registerAllocationMetrics(PrometheusRegistry registry) {
    JvmMemoryPoolAllocationMetrics.Builder builder = JvmMemoryPoolAllocationMetrics.builder();
    try {
      // the client's own way of taking other beans (for its tests) is not public
      Method beans = JvmMemoryPoolAllocationMetrics.Builder.class.getDeclaredMethod("withGarbageCollectorBeans", List.class);
      beans.setAccessible(true);
      beans.invoke(builder, ManagementFactory.getGarbageCollectorMXBeans().stream().map(this::recording).toList());
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn("The JVM allocation metrics keep a listener on the JVM after a stop ({}): a redeploy in a servlet container keeps the old"
          + " application in memory; restart the container after an upgrade", e.toString());
    }
    builder.register(registry);
  }

  private GarbageCollectorMXBean recording(GarbageCollectorMXBean bean) {
    if (!(bean instanceof NotificationEmitter emitter)) {
      return bean;
    }
    return (GarbageCollectorMXBean) Proxy.newProxyInstance(RemovableGcListeners.class.getClassLoader(),
        new Class<?>[] {GarbageCollectorMXBean.class, NotificationEmitter.class}, (proxy, method, args) -> {
          if (method.getName().equals("addNotificationListener") && args != null && args.length == 3) {
            NotificationListener listener = (NotificationListener) args[0];
            NotificationFilter filter = (NotificationFilter) args[1];
            Object handback = args[2];
            removals.add(() -> {
              try {
                emitter.removeNotificationListener(listener, filter, handback);
              } catch (ListenerNotFoundException e) {
                // removed already
              }
            });
          }
          try {
            return method.invoke(bean, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Override
  public void close() {
    removals.forEach(Runnable::run);
    removals.clear();
  }
}
