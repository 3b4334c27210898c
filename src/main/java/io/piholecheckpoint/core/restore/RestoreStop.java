package io.piholecheckpoint.core.restore;

import io.piholecheckpoint.core.download.ArchiveDownloader;

/**
 * Pi-hole Checkpoint stopping, as each part of a restore sees it: the running one stops at its next step (its downloads are cut
 * off, a sent import's answer is still awaited briefly) and records how far it got; queued ones do not start.
 */
public final class RestoreStop {
  private final ArchiveDownloader downloader;
  private volatile boolean stopping;

  public RestoreStop(ArchiveDownloader downloader) {
    this.downloader = downloader;
  }

  void stop() {
    stopping = true;
    downloader.cancelDownloads();
  }

  public boolean stopping() {
    return stopping;
  }
}
