package io.piholecheckpoint.persistence;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
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
 * waits on purpose (an instance's turn, an advisory lock) names its own {@code timeout} in its mapper, and keeps it.
 */
@Intercepts(@Signature(type = StatementHandler.class, method = "prepare", args = {Connection.class, Integer.class}))
final class ReadTimeout implements Interceptor {
  static final Duration LIMIT = Duration.ofSeconds(10);

  @Override
  public Object intercept(Invocation invocation) throws Throwable {
    Statement statement = (Statement) invocation.proceed();
    MappedStatement mapped = (MappedStatement) SystemMetaObject.forObject(invocation.getTarget()).getValue("delegate.mappedStatement");
    if (mapped.getSqlCommandType() == SqlCommandType.SELECT && mapped.getTimeout() == null) {
      statement.setQueryTimeout((int) LIMIT.toSeconds());
    }
    return statement;
  }

  @Override
  public void setProperties(Properties properties) {
    // nothing to configure: the limit is the one above
  }
}
