package io.piholecheckpoint.core.instance;

import static io.piholecheckpoint.testing.TestInstances.aDefinition;
import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.InMemoryInstanceRepository;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstanceServiceTest {
  private final InstanceService service = new InstanceService(new InMemoryInstanceRepository());

  @Test
  void marksAnInstanceRemovedWhenItsVariablesDisappear() {
    service.applyEnvironment(List.of(aDefinition("HOME", "http://a"), aDefinition("OFFICE", "http://b")));

    service.applyEnvironment(List.of(aDefinition("HOME", "http://a")));

    assertThat(service.list()).extracting(PiholeInstance::envPrefix, PiholeInstance::removed)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("HOME", false), org.assertj.core.groups.Tuple.tuple("OFFICE", true));
    assertThat(service.list()).filteredOn(PiholeInstance::removed).allMatch(i -> !i.scheduled() && i.state().equals("removed"));
  }

  @Test
  void revivesARemovedInstanceWithItsIdWhenItsVariablesReturn() {
    service.applyEnvironment(List.of(aDefinition("OFFICE", "http://b")));
    long id = service.list().get(0).id();
    service.applyEnvironment(List.of());

    service.applyEnvironment(List.of(aDefinition("OFFICE", "http://c")));

    PiholeInstance office = service.find(id);
    assertThat(office.removed()).isFalse();
    assertThat(office.url()).isEqualTo("http://c");
  }
}
