package io.piholecheckpoint.core.backup.runs;

import io.piholecheckpoint.core.schedule.LocalTimeText;

/**
 * What a backup run leaves behind it: its marker while it runs, the write of its end, and the time zone in which the
 * record of a run found cut off (or still running elsewhere) says when it started, as the pages that show it do.
 */
public record RunTrail(RunMarkers markers, RunEnd ends, LocalTimeText times) {
}
