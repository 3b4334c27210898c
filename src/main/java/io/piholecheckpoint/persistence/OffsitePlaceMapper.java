package io.piholecheckpoint.persistence;

import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Param;

interface OffsitePlaceMapper {
  String findPlace(String destination);

  void savePlace(@Param("destination") String destination, @Param("place") String place, @Param("at") Instant at);

  List<SftpHomeRow> findSftpHomes();

  void saveSftpHome(@Param("server") String server, @Param("home") String home, @Param("at") Instant at);
}
