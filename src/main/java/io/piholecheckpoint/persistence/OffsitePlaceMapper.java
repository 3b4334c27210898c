package io.piholecheckpoint.persistence;

import java.time.Instant;
import org.apache.ibatis.annotations.Param;

interface OffsitePlaceMapper {
  String findPlace(String destination);

  void savePlace(@Param("destination") String destination, @Param("place") String place, @Param("at") Instant at);
}
