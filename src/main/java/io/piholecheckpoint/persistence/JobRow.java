package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.job.Job;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** A job as its row holds it: the records it wrote as their ids joined by commas (portable, and a job writes a handful). */
record JobRow(String id, Job.Kind kind, String subject, Job.State state, long bytes, Long expectedBytes, String records, String errorCode,
              String error, Instant queuedAt, Instant finishedAt, String node) {

  static JobRow of(Job job) {
    return new JobRow(job.id(), job.kind(), job.subject(), job.state(), job.bytes(), job.expectedBytes(), joined(job.records()), job.errorCode(),
        job.error(), job.queuedAt(), job.finishedAt(), job.node());
  }

  static String joined(List<Long> records) {
    return records.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  Job toJob() {
    List<Long> ids = records.isEmpty() ? List.of() : Arrays.stream(records.split(",")).map(Long::valueOf).toList();
    return new Job(id, kind, subject, state, bytes, expectedBytes, ids, errorCode, error, queuedAt, finishedAt, node);
  }
}
