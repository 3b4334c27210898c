package io.piholecheckpoint.persistence;

interface DestinationMapper extends NamedSettingsMapper {
  void deleteCopies(String name);

  void deleteCatchUp(String name);
}
