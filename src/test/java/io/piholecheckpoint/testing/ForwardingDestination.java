package io.piholecheckpoint.testing;

import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.RemoteObject;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/** A destination that does what another does, for tests that change one call by overriding it. */
public class ForwardingDestination implements Destination {
  private final Destination to;

  public ForwardingDestination(Destination to) {
    this.to = to;
  }

  @Override
  public void put(String key, InputStream in, long length) throws IOException {
    to.put(key, in, length);
  }

  @Override
  public Optional<RemoteObject> check(String key) throws IOException {
    return to.check(key);
  }

  @Override
  public InputStream open(String key) throws IOException {
    return to.open(key);
  }

  @Override
  public List<RemoteObject> list(String prefix) throws IOException {
    return to.list(prefix);
  }

  @Override
  public void delete(String key) throws IOException {
    to.delete(key);
  }

  @Override
  public String describe() {
    return to.describe();
  }

  @Override
  public void close() {
    to.close();
  }
}
