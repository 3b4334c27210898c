package io.piholecheckpoint.persistence;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.ibatis.executor.statement.StatementHandler;
import org.apache.ibatis.mapping.MappedStatement;
import org.apache.ibatis.mapping.SqlCommandType;
import org.apache.ibatis.plugin.Interceptor;
import org.apache.ibatis.plugin.Intercepts;
import org.apache.ibatis.plugin.Invocation;
import org.apache.ibatis.plugin.Signature;
import org.apache.ibatis.reflection.SystemMetaObject;

/**
 * Every read on PostgreSQL ends within {@link #LIMIT}: a session that holds a lock on a table (a {@code LOCK TABLE}, a long
 * migration or maintenance by hand) would otherwise hang /health and every page that reads it for as long as it holds it.
 * The server cancels the statement then (SQLState 57014), which the web answers as 503 {@code database_busy}. A read that
 * waits on purpose (an instance's turn, an advisory lock) names its own {@code timeout} in its mapper, and keeps it. A read
 * that locks rows ({@code FOR SHARE}, {@code FOR UPDATE}) belongs to a write: it waits for a row lock as that write would,
 * bounded by the pool's lock_timeout ({@link Database#LOCK_WAIT}), not cut at this limit, which failed the write when copy
 * writes held a destination's row a little longer.
 */
@Intercepts(@Signature(type = StatementHandler.class, method = "prepare", args = {Connection.class, Integer.class}))
final class ReadTimeout implements Interceptor {
  /** The limit of every Database the app opens. */
  static final Duration LIMIT = Duration.ofSeconds(10);
  private static final Pattern LOCKING = Pattern.compile("\\bFOR\\s+(?:NO\\s+KEY\\s+)?(?:UPDATE|SHARE|KEY\\s+SHARE)\\b", Pattern.CASE_INSENSITIVE);

  /** In whole seconds, at least one: the driver's unit. */
  private final int seconds;

  /** @param limit {@link #LIMIT} but in tests of the limit itself, which need not hold a lock for ten seconds to see it */
  ReadTimeout(Duration limit) {
    this.seconds = (int) Math.max(1, limit.toSeconds());
  }

  @Override
  public Object intercept(Invocation invocation) throws Throwable {
    Statement statement = (Statement) invocation.proceed();
    MappedStatement mapped = (MappedStatement) SystemMetaObject.forObject(invocation.getTarget()).getValue("delegate.mappedStatement");
    if (mapped.getSqlCommandType() == SqlCommandType.SELECT && mapped.getTimeout() == null
        && !LOCKING.matcher(((StatementHandler) invocation.getTarget()).getBoundSql().getSql()).find()) {
      statement.setQueryTimeout(seconds);
    }
    return statement;
  }

  @Override
  public void setProperties(Properties properties) {
    // nothing to configure: the limit is the constructor's
  }
}
