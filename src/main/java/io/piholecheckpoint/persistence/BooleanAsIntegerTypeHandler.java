package io.piholecheckpoint.persistence;

import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;

/**
 * Flags as the integers 0 and 1, the columns' type on both databases: SQLite has no boolean, and
 * PostgreSQL refuses a boolean bound to an integer column (which the driver's setBoolean sends).
 */
public class BooleanAsIntegerTypeHandler extends BaseTypeHandler<Boolean> {

  @Override
  public void setNonNullParameter(PreparedStatement ps, int i, Boolean value, JdbcType jdbcType) throws SQLException {
    ps.setInt(i, value ? 1 : 0);
  }

  @Override
  public Boolean getNullableResult(ResultSet rs, String column) throws SQLException {
    int value = rs.getInt(column);
    return rs.wasNull() ? null : value != 0;
  }

  @Override
  public Boolean getNullableResult(ResultSet rs, int index) throws SQLException {
    int value = rs.getInt(index);
    return rs.wasNull() ? null : value != 0;
  }

  @Override
  public Boolean getNullableResult(CallableStatement cs, int index) throws SQLException {
    int value = cs.getInt(index);
    return cs.wasNull() ? null : value != 0;
  }
}
