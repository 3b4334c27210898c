package io.piholecheckpoint.persistence;

/** The change counter of a kind of setting (setting_change): moved on inside the transaction that changes it. */
interface SettingChangeMapper {
  /** Sync groups added in the UI or the API. */
  String SYNC_GROUPS = "sync_group";
  /** Off-site destinations added in Settings or the API. */
  String DESTINATIONS = "offsite_destination";
  /**
   * Instances added, changed, paused, removed or deleted in the UI or the API: counted first as each is added, so that names
   * are taken one at a time across nodes; the process holding the SQLite lock schedules them again once it moved.
   */
  String INSTANCES = "instance";

  void count(String kind);

  Long find(String kind);

  /** How often the kind has changed; 0 before its first change. */
  static long changes(Database database, String kind) {
    try (org.apache.ibatis.session.SqlSession session = database.sessions().openSession(true)) {
      Long changes = session.getMapper(SettingChangeMapper.class).find(kind);
      return changes == null ? 0 : changes;
    }
  }
}
