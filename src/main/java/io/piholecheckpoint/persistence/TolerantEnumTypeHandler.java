package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.units.LogText;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An enum stored by its name, read back as {@code fallback} when the column holds a name this
 * version does not know (a hand-edited database, a newer version's row): one such row must not
 * fail every query that reads it — and with it the start — as MyBatis's own enum handler does.
 * Each unknown value is logged once per process, with the column and what it is read as.
 */
public class TolerantEnumTypeHandler<E extends Enum<E>> extends BaseTypeHandler<E> {
  private static final Logger log = LoggerFactory.getLogger(TolerantEnumTypeHandler.class);
  private static final Set<String> TOLD = ConcurrentHashMap.newKeySet();
  private final Class<E> type;
  private final E fallback;

  public TolerantEnumTypeHandler(Class<E> type, E fallback) {
    this.type = type;
    this.fallback = fallback;
  }

  /** What an unknown value of the column is read as. */
  public E fallback() {
    return fallback;
  }

  @Override
  public void setNonNullParameter(PreparedStatement ps, int i, E value, JdbcType jdbcType) throws SQLException {
    ps.setString(i, value.name());
  }

  @Override
  public E getNullableResult(ResultSet rs, String column) throws SQLException {
    return read(rs.getString(column), column);
  }

  @Override
  public E getNullableResult(ResultSet rs, int index) throws SQLException {
    return read(rs.getString(index), "#" + index);
  }

  @Override
  public E getNullableResult(CallableStatement cs, int index) throws SQLException {
    return read(cs.getString(index), "#" + index);
  }

  private E read(String stored, String column) {
    if (stored == null) {
      return null;
    }
    try {
      return Enum.valueOf(type, stored);
    } catch (IllegalArgumentException e) {
      if (TOLD.add(type.getName() + "\u0000" + column + "\u0000" + stored)) {
        log.warn("A row's {} holds '{}', which is no {} this version knows (a hand-edited database, or a newer version's row): read as {};"
            + " the row is used as such, and the next change of it writes a known value", column, LogText.of(stored), type.getSimpleName(),
            fallback);
      }
      return fallback;
    }
  }
}
