package io.piholecheckpoint.persistence;

import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Param;

interface AdoptionNoteMapper {
  List<AdoptionNoteRow> findAll();

  void deleteByDestination(String destination);

  void insert(@Param("destination") String destination, @Param("position") int position, @Param("skipped") int skipped,
              @Param("note") String note, @Param("at") Instant at);
}
