package io.piholecheckpoint.core.archive.work;

import io.piholecheckpoint.core.contents.ArchiveContents;
import io.piholecheckpoint.core.contents.ArchiveReader;
import io.piholecheckpoint.core.contents.ArchiveSettings;
import io.piholecheckpoint.core.contents.Change;
import io.piholecheckpoint.core.contents.ChangesPage;
import io.piholecheckpoint.core.contents.ContentDiff;
import io.piholecheckpoint.core.contents.ListCategory;
import io.piholecheckpoint.core.contents.Page;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** An {@link ArchiveReader} that reads only with a permit of {@link ArchiveWork}; a diff takes one permit for all its reads. */
public final class GatedReader implements ArchiveReader {
  private final ArchiveReader inner;
  private final ArchiveWork work;

  public GatedReader(ArchiveReader inner, ArchiveWork work) {
    this.inner = inner;
    this.work = work;
  }

  @Override
  public ArchiveSettings settings(Path archive) throws IOException {
    return work.run(() -> inner.settings(archive));
  }

  @Override
  public ArchiveContents contents(Path archive, int limit) throws IOException {
    return work.run(() -> inner.contents(archive, limit));
  }

  @Override
  public Page<?> page(Path archive, ListCategory category, String cursor, int limit) throws IOException {
    return work.run(() -> inner.page(archive, category, cursor, limit));
  }

  @Override
  public Map<ListCategory, ContentDiff.Category> listChanges(Path before, Path after, int first) throws IOException {
    return work.run(() -> inner.listChanges(before, after, first));
  }

  @Override
  public ChangesPage changes(Path before, Path after, ListCategory category, Change change, String cursor, int limit) throws IOException {
    return work.run(() -> inner.changes(before, after, category, change, cursor, limit));
  }

  @Override
  public ContentDiff diff(Path before, Path after, int first) throws IOException {
    return work.run(() -> inner.diff(before, after, first));
  }

  @Override
  public ContentDiff diffWithoutLists(Path before, Path after, int first, List<String> withoutGravityDb) throws IOException {
    return work.run(() -> inner.diffWithoutLists(before, after, first, withoutGravityDb));
  }
}
