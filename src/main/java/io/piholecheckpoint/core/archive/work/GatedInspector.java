package io.piholecheckpoint.core.archive.work;

import io.piholecheckpoint.core.archive.ArchiveInspector;
import java.io.IOException;
import java.nio.file.Path;

/** An {@link ArchiveInspector} that inspects only with a permit of {@link ArchiveWork}. */
public final class GatedInspector implements ArchiveInspector {
  private final ArchiveInspector inner;
  private final ArchiveWork work;

  public GatedInspector(ArchiveInspector inner, ArchiveWork work) {
    this.inner = inner;
    this.work = work;
  }

  @Override
  public Inspection inspect(Path archive) throws IOException {
    return work.run(() -> inner.inspect(archive));
  }

  @Override
  public void check(Path archive) throws IOException {
    work.run(() -> {
      inner.check(archive);
      return null;
    });
  }
}
