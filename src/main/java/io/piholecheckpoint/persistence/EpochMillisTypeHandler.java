package io.piholecheckpoint.persistence;

import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;

/** Instants as INTEGER epoch milliseconds: sortable, and free of SQLite's date-text quirks. */
public class EpochMillisTypeHandler extends BaseTypeHandler<Instant> {

  @Override
  public void setNonNullParameter(PreparedStatement ps, int i, Instant value, JdbcType jdbcType) throws SQLException {
    ps.setLong(i, value.toEpochMilli());
  }

  @Override
  public Instant getNullableResult(ResultSet rs, String column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
  }

  @Override
  public Instant getNullableResult(ResultSet rs, int index) throws SQLException {
    long millis = rs.getLong(index);
    return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
  }

  @Override
  public Instant getNullableResult(CallableStatement cs, int index) throws SQLException {
    long millis = cs.getLong(index);
    return cs.wasNull() ? null : Instant.ofEpochMilli(millis);
  }
}
