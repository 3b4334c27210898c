package io.piholecheckpoint.persistence;

import java.time.Instant;

/** One note of a destination's last adoption, in its place. */
record AdoptionNoteRow(String destination, int position, int skipped, String note, Instant notedAt) {
}
