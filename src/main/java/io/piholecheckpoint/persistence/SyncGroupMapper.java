package io.piholecheckpoint.persistence;

interface SyncGroupMapper extends NamedSettingsMapper {
  void deleteRuns(String id);
}
