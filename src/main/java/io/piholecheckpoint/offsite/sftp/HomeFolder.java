package io.piholecheckpoint.offsite.sftp;

import io.piholecheckpoint.core.offsite.remote.DestinationException;

/**
 * Told the user's home folder at a {@code /~/} destination's connections (the server's answer for
 * ".", asked once): no setting says where it is. It may refuse the destination then, when that
 * folder turns out to be another destination's.
 */
@FunctionalInterface
public interface HomeFolder {
  HomeFolder IGNORED = home -> { };

  void found(String home) throws DestinationException;
}
