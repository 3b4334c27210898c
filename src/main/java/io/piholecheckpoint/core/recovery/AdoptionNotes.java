package io.piholecheckpoint.core.recovery;

import io.piholecheckpoint.core.units.LogText;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the last adoption from each destination could not take, and why, and what it took otherwise than its manifest
 * says: kept (a table) so that Settings still shows it after the restart whose adoption found it, where the log has
 * long scrolled away. Never a secret: the reasons and notes are the adoption's own words.
 */
public interface AdoptionNotes {
  /** Nothing kept: for tests and tools that need no record. */
  AdoptionNotes NONE = new AdoptionNotes() {
    @Override
    public void replace(String destination, List<Note> notes) {
    }

    @Override
    public Map<String, List<Note>> all() {
      return Map.of();
    }
  };

  /**
   * @param skipped how many archives were not adopted for this reason; 0 for a note on what was adopted
   * @param text the reason, or the note
   */
  record Note(int skipped, String text, Instant at) {
    /** As Settings says it: escaped again, for a note kept by a version that did not escape it (see AdoptionService.Result). */
    public String said() {
      String shown = LogText.withoutControls(text);
      return skipped > 0 ? skipped + (skipped == 1 ? " archive" : " archives") + " skipped: " + shown : shown;
    }
  }

  /** The notes of the destination's newest adoption, in place of its earlier ones (none: it found nothing to say). */
  void replace(String destination, List<Note> notes);

  /** Every destination's notes, by name. */
  Map<String, List<Note>> all();
}
