package io.piholecheckpoint.web.access;

import io.piholecheckpoint.web.HttpErrors;
import io.piholecheckpoint.web.Views;
import java.util.function.Supplier;

/**
 * The error page for a path not in plain form, rendered on its first need and kept. Rendering it at start loaded
 * FreeMarker and parsed the layout before any page was asked for (about 350 classes, 3-4 MiB of RSS after start), for a
 * page most servers never send. A plain JDK type, so the launcher's error handler, which sees no class of the web app,
 * can ask for it.
 */
final class BadPathPage implements Supplier<String> {
  private final Views views;
  private final HttpErrors.Answer answer;
  private final boolean signInRequired;
  /** Two first requests at once may both render it: the same text, so no lock is needed, only a safe publication. */
  private volatile String page;

  BadPathPage(Views views, HttpErrors.Answer answer, boolean signInRequired) {
    this.views = views;
    this.answer = answer;
    this.signInRequired = signInRequired;
  }

  @Override
  public String get() {
    String rendered = page;
    if (rendered == null) {
      rendered = views.errorPage(answer, signInRequired);
      page = rendered;
    }
    return rendered;
  }
}
