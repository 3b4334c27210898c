package io.piholecheckpoint.web.page;

import io.piholecheckpoint.core.contents.ListCategory;
import io.piholecheckpoint.core.contents.LocalDnsList;
import io.piholecheckpoint.web.Paths;
import io.piholecheckpoint.web.QueryParameters;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The combinations of a backup page's parameters that mean something. Each one the page would
 * otherwise ignore ({@code diff=abc}, {@code cursor} without a list to page, {@code list=nope}) is
 * a 400 saying what is allowed, as the API answers: a page that silently shows something else
 * than was asked for is not true.
 */
final class PageQuery {
  private static final List<String> IDS = Stream.concat(Arrays.stream(ListCategory.values()).map(ListCategory::id),
      Arrays.stream(LocalDnsList.values()).map(LocalDnsList::id)).toList();
  private static final String LISTS = String.join(", ", IDS);

  private PageQuery() {
  }

  static void check(QueryParameters query) {
    String diff = query.text("diff");
    if (diff != null && !diff.equals("live") && Paths.id(diff).isEmpty()) {
      throw QueryParameters.wrong("diff", "live or the id of a backup");
    }
    boolean paging = query.text("category") != null;
    if (!paging && (query.text("change") != null || query.text("cursor") != null)) {
      throw QueryParameters.wrong("category", "given with change and cursor (one of " + LISTS + ")");
    }
    if (paging && diff == null) {
      throw QueryParameters.wrong("diff", "given with category: the id of the backup to compare with");
    }
    String list = query.text("list");
    if (list != null && !IDS.contains(list)) {
      throw QueryParameters.wrong("list", "one of " + LISTS);
    }
    if (query.text("after") != null && list == null) {
      throw QueryParameters.wrong("list", "given with after: the list to page (one of " + LISTS + ")");
    }
  }
}
