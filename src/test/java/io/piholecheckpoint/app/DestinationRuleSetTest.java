package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.destination.DestinationConflictException;
import io.piholecheckpoint.core.destination.DestinationForm;
import io.piholecheckpoint.core.destination.DestinationRefusedException;
import io.piholecheckpoint.core.destination.DestinationRepository;
import io.piholecheckpoint.core.destination.DestinationRules;
import io.piholecheckpoint.core.destination.DestinationRules.Plain;
import io.piholecheckpoint.core.destination.DestinationService;
import io.piholecheckpoint.core.destination.ManagedDestination;
import io.piholecheckpoint.core.offsite.copy.CopyRunner;
import io.piholecheckpoint.core.offsite.OffsiteService;
import io.piholecheckpoint.core.offsite.catalog.OffsiteCatalog;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.core.offsite.remote.OffsiteTargets;
import io.piholecheckpoint.core.secrets.SecretBox;
import io.piholecheckpoint.core.settings.ValidationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one set of rules for destinations, applied to those added in Settings: the same refusals as
 * for {@code OFFSITE_<NAME>_*} variables, checked against the environment's destinations, with
 * messages that name the form's fields; and what the service makes of them.
 */
class DestinationRuleSetTest {
  @TempDir
  Path dir;
  private Map<String, String> env;
  private DestinationRuleSet rules;

  @BeforeEach
  void environment() throws Exception {
    Files.createDirectories(dir.resolve("env"));
    Files.createDirectories(dir.resolve("ui"));
    Files.createDirectories(dir.resolve("ui2"));
    env = Map.of("OFFSITE_ENV_URL", dir.resolve("env").toUri().toString());
    rules = new DestinationRuleSet(env, true, List.of(dir.resolve("data"), dir.resolve("backups")));
  }

  private DestinationRules.Resolved resolve(Plain... destinations) {
    DestinationRules.Resolved resolved = rules.resolve(List.of(destinations));
    resolved.targets().forEach(t -> t.destination().close());
    return resolved;
  }

  private static Plain plain(String name, String... pairs) {
    Map<String, String> settings = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      settings.put(pairs[i], pairs[i + 1]);
    }
    return new Plain(name, settings);
  }

  @Test
  void aFileDestinationIsOpenedWithItsRetentionInstancesAndEncryption() {
    DestinationRules.Resolved resolved = resolve(plain("UI", "URL", dir.resolve("ui").toUri().toString(), "MAX_BACKUPS", "7", "INSTANCES", "home"));

    assertThat(resolved.disabled()).isEmpty();
    OffsiteTarget ui = resolved.targets().get(0);
    assertThat(ui.retention().maxBackups()).isEqualTo(7);
    assertThat(ui.instances()).containsExactly("HOME");
    assertThat(ui.encrypt()).isTrue();
  }

  @Test
  void aPlaceInsideAnEnvironmentDestinationIsRefusedNamingTheField() {
    DestinationRules.Resolved resolved = resolve(plain("UI", "URL", dir.resolve("env/sub").toUri().toString()));

    assertThat(resolved.targets()).isEmpty();
    assertThat(resolved.disabled().get("UI")).startsWith("url is the place of OFFSITE_ENV_URL, or inside it");
  }

  @Test
  void aFolderInsideDataDirIsRefused() {
    assertThat(resolve(plain("UI", "URL", dir.resolve("data/copies").toUri().toString())).disabled().get("UI"))
        .contains("Pi-hole Checkpoint's own folder");
  }

  @Test
  void theNameOfAnEnvironmentDestinationIsRefused() {
    assertThat(resolve(plain("ENV", "URL", dir.resolve("ui").toUri().toString())).disabled().get("ENV"))
        .contains("OFFSITE_ENV_URL configures a destination named ENV in the environment", "delete this one here");
    assertThat(rules.inEnvironment("ENV")).isTrue();
    assertThat(rules.inEnvironment("UI")).isFalse();
  }

  @Test
  void ofTwoInOnePlaceTheOneCheckedFirstKeepsIt() {
    DestinationRules.Resolved resolved = resolve(plain("B", "URL", dir.resolve("ui").toUri().toString()),
        plain("A", "URL", dir.resolve("ui").toUri().toString()));

    assertThat(resolved.targets()).extracting(OffsiteTarget::name).containsExactly("B");
    assertThat(resolved.disabled().get("A")).as("named as the Settings destination it is, not as a variable no one set")
        .contains("url is the place of destination B (added in Settings), or inside it").doesNotContain("OFFSITE_");
  }

  @Test
  void wrongNumbersPortsAndKindsAreRefusedAsForTheEnvironment() {
    assertThat(resolve(plain("U", "URL", dir.resolve("ui").toUri().toString(), "MAX_BACKUPS", "many")).disabled().get("U"))
        .contains("maxBackups='many' must be a whole number");
    assertThat(resolve(plain("S", "URL", "sftp://me@nas.lan:99999/x", "PASSWORD", "p", "ENCRYPT", "false")).disabled()).containsKey("S");
    assertThat(resolve(plain("F", "URL", "ftp://nas.lan/x")).disabled().get("F")).contains("url must start with file://");
  }

  @Test
  void aQueryInTheUrlOfAnAddedDestinationNamesTheFieldsItsSettingsGoIn() {
    assertThat(resolve(plain("Q", "URL", dir.resolve("ui").toUri() + "?foo=bar")).disabled().get("Q"))
        .contains("url has a query (foo) that is not read: remove it; this kind of destination has no setting but its path")
        .doesNotContain("*", "OFFSITE_");
    assertThat(resolve(plain("S", "URL", "sftp://me@nas.lan/x?port=2", "PASSWORD", "p")).disabled().get("S"))
        .contains("url has a query (port) that is not read", "password, privateKey, privateKeyPassphrase, hostKey")
        .doesNotContain("*", "OFFSITE_");
  }

  @Test
  void anAddedSftpDestinationWithoutCredentialsNamesTheFieldsItHasNotVariablesOnlyTheEnvironmentHas() {
    DestinationRules.Resolved resolved = resolve(plain("K9", "URL", "sftp://backup@127.0.0.1:2222/x", "HOST_KEY", "SHA256:" + "A".repeat(43)));

    assertThat(resolved.disabled().get("K9")).contains("set privateKey (", " or password for the SFTP server")
        .doesNotContain("privateKeyFile", "passwordFile", "OFFSITE_");
  }

  @Test
  void aPastedTextThatIsNoPrivateKeyIsRefusedWithoutQuotingIt() {
    String pasted = "-----BEGIN OPENSSH PRIVATE KEY-----\nc2VjcmV0LWtleS1ib2R5\n-----END OPENSSH PRIVATE KEY-----";

    String why = resolve(plain("S", "URL", "sftp://me@nas.lan:22/x", "PRIVATE_KEY", pasted, "HOST_KEY", "SHA256:" + "A".repeat(43)))
        .disabled().get("S");

    assertThat(why).startsWith("privateKey is not a private key that can be read").doesNotContain("c2VjcmV0");
  }

  @Test
  void withoutAPassphraseAnEncryptingDestinationIsRefusedAsInTheEnvironment() {
    DestinationRuleSet noPassphrase = new DestinationRuleSet(env, false, List.of());

    String why = noPassphrase.resolve(List.of(plain("UI", "URL", dir.resolve("ui").toUri().toString()))).disabled().get("UI");

    assertThat(why).contains("encrypt is on (the default), but no BACKUP_ENCRYPTION_PASSPHRASE is set");
  }

  @Nested
  class Service {
    private final Map<String, ManagedDestination> stored = new TreeMap<>();
    private final SecretBox box = new SecretBox(new byte[32]);
    private OffsiteService offsite;
    /** What the Settings page and API read of the destinations in use. */
    private OffsiteCatalog catalog;
    private DestinationService service;
    private long changes;

    @BeforeEach
    void service() {
      OffsiteTargets targets = new OffsiteTargets(List.of(), Map.of());
      offsite = new OffsiteService(new CopyRunner(targets, null, null, Clock.systemUTC(), null), null, null, Clock.systemUTC());
      catalog = new OffsiteCatalog(targets, null, Clock.systemUTC());
      service = new DestinationService(new DestinationRepository() {
        public List<ManagedDestination> findAll() {
          return List.copyOf(stored.values());
        }

        public Optional<ManagedDestination> find(String name) {
          return Optional.ofNullable(stored.get(name));
        }

        public long changes() {
          return changes;
        }

        public boolean add(ManagedDestination destination) {
          if (stored.putIfAbsent(destination.name(), destination) != null) {
            return false;
          }
          changes++;
          return true;
        }

        public boolean save(ManagedDestination destination) {
          if (stored.replace(destination.name(), destination) == null) {
            return false;
          }
          changes++;
          return true;
        }

        public boolean delete(String name) {
          if (stored.remove(name) == null) {
            return false;
          }
          changes++;
          return true;
        }

        public boolean deleteSettings(String name) {
          return delete(name);
        }
      }, rules, box, offsite, () -> { });
    }

    private DestinationForm form(String name, String... pairs) {
      Map<String, String> values = new HashMap<>();
      for (int i = 0; i < pairs.length; i += 2) {
        values.put(pairs[i], pairs[i + 1]);
      }
      return new DestinationForm(name, values);
    }

    @Test
    void anAddedDestinationIsInUseAtOnceWithItsSecretSealed() {
      service.add(form("usb", "URL", dir.resolve("ui").toUri().toString(), "PASSWORD", "pass-Secret-1"));

      assertThat(catalog.target("USB")).isPresent();
      String sealed = stored.get("USB").settings().get("PASSWORD");
      assertThat(sealed).startsWith("v1:").doesNotContain("pass-Secret-1");
      assertThat(box.open(sealed)).isEqualTo("pass-Secret-1");
      assertThat(stored.get("USB").plainSettings()).doesNotContainKey("PASSWORD");
      assertThat(stored.get("USB").secretsSet()).containsExactly("PASSWORD");
    }

    @Test
    void anEmptySecretKeepsTheStoredOneAndADashRemovesIt() {
      service.add(form("usb", "URL", dir.resolve("ui").toUri().toString(), "PASSWORD", "pass-Secret-1"));

      service.update("USB", form(null, "PASSWORD", "", "MAX_BACKUPS", "3"));
      assertThat(box.open(stored.get("USB").settings().get("PASSWORD"))).isEqualTo("pass-Secret-1");
      assertThat(catalog.target("USB").orElseThrow().retention().maxBackups()).isEqualTo(3);

      service.update("USB", form(null, "PASSWORD", "-", "MAX_BACKUPS", ""));
      assertThat(stored.get("USB").settings()).doesNotContainKeys("PASSWORD", "MAX_BACKUPS");
    }

    @Test
    void addingOrChangingAnotherDestinationKeepsTheClientOfOneLeftAsItWasSoItsUploadsGoOn() {
      service.add(form("small", "URL", dir.resolve("ui").toUri().toString()));
      OffsiteTarget small = catalog.target("SMALL").orElseThrow();

      service.add(form("x7", "URL", dir.resolve("ui2").toUri().toString()));
      assertThat(catalog.target("SMALL")).as("an upload to SMALL checks it is still the one in use").containsSame(small);
      OffsiteTarget x7 = catalog.target("X7").orElseThrow();
      service.update("X7", form(null, "MAX_BACKUPS", "3"));
      assertThat(catalog.target("SMALL")).containsSame(small);
      assertThat(catalog.target("X7").orElseThrow()).as("changed: its own uploads are cut off").isNotSameAs(x7);
      service.delete("X7");
      assertThat(catalog.target("SMALL")).containsSame(small);

      service.update("SMALL", form(null, "MAX_BACKUPS", "2"));
      assertThat(catalog.target("SMALL").orElseThrow()).isNotSameAs(small);
    }

    @Test
    void aNewDestinationNeverPushesOutOneInUse() {
      service.add(form("b", "URL", dir.resolve("ui").toUri().toString()));

      assertThatThrownBy(() -> service.add(form("a", "URL", dir.resolve("ui").toUri().toString())))
          .isInstanceOf(DestinationRefusedException.class).hasMessageContaining("url is the place of destination B (added in Settings)");
      assertThat(catalog.target("B")).isPresent();
      assertThat(stored).containsOnlyKeys("B");
    }

    @Test
    void namesOfTheEnvironmentAndNamesTakenAreConflicts() {
      service.add(form("usb", "URL", dir.resolve("ui").toUri().toString()));

      assertThatThrownBy(() -> service.add(form("env", "URL", dir.resolve("ui2").toUri().toString())))
          .isInstanceOf(DestinationConflictException.class);
      assertThatThrownBy(() -> service.add(form("USB", "URL", dir.resolve("ui2").toUri().toString())))
          .isInstanceOf(DestinationConflictException.class);
      assertThatThrownBy(() -> service.update("ENV", form(null, "MAX_BACKUPS", "1"))).isInstanceOf(DestinationConflictException.class);
      assertThatThrownBy(() -> service.delete("ENV")).isInstanceOf(DestinationConflictException.class);
    }

    @Test
    void aMalformedNameOrAMissingUrlIsAFieldError() {
      assertThatThrownBy(() -> service.add(form("two words", "URL", "file:///x"))).isInstanceOf(ValidationException.class)
          .satisfies(e -> assertThat(((ValidationException) e).fieldErrors()).containsKey("name"));
      assertThatThrownBy(() -> service.add(form("nourl"))).isInstanceOf(ValidationException.class)
          .satisfies(e -> assertThat(((ValidationException) e).fieldErrors()).containsKey("url"));
    }

    @Test
    void aStoredDestinationWhoseSecretCannotBeOpenedIsDisabledAtStartNotTheStart() {
      stored.put("OLD", new ManagedDestination("OLD", Map.of("URL", dir.resolve("ui").toUri().toString(), "PASSWORD",
          new SecretBox(new byte[32]).seal("x").replace("v1:", "v1:AAAA"))));

      service.start();

      assertThat(catalog.disabledWhy("OLD")).hasValueSatisfying(why -> assertThat(why).contains("FIELD_ENCRYPTION_KEY"));
    }

    /** After FIELD_ENCRYPTION_KEY changed: the fix the disabled destination asks for (enter the secret again) must be possible. */
    @Test
    void aSecretSavedWithAnotherKeyIsEnteredAgainInAChangeAndAChangeWithoutItSaysSo() {
      String url = dir.resolve("ui").toUri().toString();
      stored.put("OLD", new ManagedDestination("OLD", Map.of("URL", url, "PASSWORD", new SecretBox(new byte[32]).seal("x")
          .replace("v1:", "v1:AAAA"))));
      service.start();

      assertThatThrownBy(() -> service.update("old", form("old", "TIMEOUT_SECONDS", "20"))).isInstanceOf(ValidationException.class)
          .satisfies(e -> assertThat(((ValidationException) e).fieldErrors()).containsOnlyKeys("password")
              .hasValueSatisfying(new org.assertj.core.api.Condition<>(m -> m.contains("FIELD_ENCRYPTION_KEY") && m.contains("enter it again"),
                  "says why and what to do")));
      assertThat(stored.get("OLD").settings()).as("nothing was changed").doesNotContainKey("TIMEOUT_SECONDS");
      assertThatThrownBy(() -> service.open(form("old", "URL", url))).as("a Test of it, likewise").isInstanceOf(ValidationException.class);

      service.update("old", form("old", "PASSWORD", "entered again", "TIMEOUT_SECONDS", "20"));

      assertThat(box.open(stored.get("OLD").settings().get("PASSWORD"))).isEqualTo("entered again");
      assertThat(stored.get("OLD").settings()).containsEntry("TIMEOUT_SECONDS", "20");
      assertThat(catalog.disabledWhy("OLD")).isEmpty();
    }

    @Test
    void deletingTakesItOutOfUse() {
      service.add(form("usb", "URL", dir.resolve("ui").toUri().toString()));

      service.delete("usb");

      assertThat(catalog.target("USB")).isEmpty();
      assertThat(stored).isEmpty();
    }
  }
}
