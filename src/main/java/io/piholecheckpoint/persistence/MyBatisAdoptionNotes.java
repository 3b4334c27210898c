package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.recovery.AdoptionNotes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.ibatis.session.SqlSession;

/** The notes of each destination's last adoption, replaced whole in one transaction. */
public final class MyBatisAdoptionNotes implements AdoptionNotes {
  private final Database database;

  public MyBatisAdoptionNotes(Database database) {
    this.database = database;
  }

  @Override
  public void replace(String destination, List<Note> notes) {
    try (SqlSession session = database.sessions().openSession(false)) {
      AdoptionNoteMapper mapper = session.getMapper(AdoptionNoteMapper.class);
      mapper.deleteByDestination(destination);
      for (int i = 0; i < notes.size(); i++) {
        Note note = notes.get(i);
        mapper.insert(destination, i, note.skipped(), note.text(), note.at());
      }
      session.commit();
    }
  }

  @Override
  public Map<String, List<Note>> all() {
    try (SqlSession session = database.sessions().openSession(true)) {
      Map<String, List<Note>> all = new LinkedHashMap<>();
      for (AdoptionNoteRow row : session.getMapper(AdoptionNoteMapper.class).findAll()) {
        all.computeIfAbsent(row.destination(), d -> new ArrayList<>()).add(new Note(row.skipped(), row.note(), row.notedAt()));
      }
      return all;
    }
  }
}
