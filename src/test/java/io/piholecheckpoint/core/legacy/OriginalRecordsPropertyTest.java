package io.piholecheckpoint.core.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.archive.ArchiveFiles;
import io.piholecheckpoint.core.instance.InstanceDefaults;
import io.piholecheckpoint.core.instance.InstanceNames;
import io.piholecheckpoint.core.settings.InstanceRules;
import io.piholecheckpoint.core.units.LogText;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/** Whatever a row of the original holds, reading it never throws, and what is read is safe to store, show and look up. */
class OriginalRecordsPropertyTest {

  /** Text as a hostile or broken database may hold it: controls, separators, path parts, surrogates, long runs. */
  @Provide
  Arbitrary<String> anyText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(300),
        Arbitraries.strings().withChars("/\\.._-:T +Z0123456789abcdef\n\u0000\u202e").ofMaxLength(80),
        Arbitraries.of("pihole_checkpoint_home_20250105_030000_ab12cd34.zip", "../pihole_checkpoint_home_20250105_030000_ab12cd34.zip",
            "pihole_checkpoint_../../x_20250105_030000_ab12cd34.zip", "2025-01-05 03:00:00.123456", "2025-13-45 99:99:99", "", " "))
        .injectNull(0.1);
  }

  @Property(tries = 500)
  void aRecordOfAnyContentIsReadWithoutThrowingAndItsFileNameNeverLeavesTheBackupDirectory(@ForAll("anyText") String fileName,
      @ForAll("anyText") String filePath, @ForAll("anyText") String checksum, @ForAll("anyText") String status,
      @ForAll("anyText") String message, @ForAll("anyText") String manual, @ForAll("anyText") String createdAt) {
    OriginalRecord record = new OriginalRecord(1, "1", fileName, filePath, checksum, status, message, manual, createdAt);

    Optional<String> name = OriginalRecords.archiveName(record);
    Optional<Instant> at = OriginalRecords.createdAt(record.createdAt());
    String shown = OriginalRecords.failureMessage(record.errorMessage());
    OriginalRecords.status(status);
    OriginalRecords.manual(manual);

    name.ifPresent(n -> assertThat(n).doesNotContain("/", "\\", "..").matches(ArchiveFiles::isOriginal).matches(ArchiveFiles::isOurs));
    at.ifPresent(t -> assertThat(t).isBetween(Instant.parse("2000-01-01T00:00:00Z"), Instant.parse("2100-01-01T00:00:00Z")));
    assertThat(shown).isNotBlank().hasSizeLessThanOrEqualTo(OriginalRecords.MESSAGE_LENGTH + 30)
        .matches(s -> s.codePoints().noneMatch(LogText::unsafe), "no control or format characters");
    OriginalRecords.checksum(checksum).ifPresent(c -> assertThat(c).matches("[0-9a-f]{64}"));
  }

  @Property(tries = 300)
  void djangoTimesAreReadAsTheUtcInstantTheyName(@ForAll @LongRange(min = 946_684_800L, max = 4_102_444_799L) long epochSecond,
                                                 @ForAll @LongRange(min = 0, max = 999_999) long micros) {
    Instant at = Instant.ofEpochSecond(epochSecond, micros * 1000);
    String django = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").format(LocalDateTime.ofInstant(at, ZoneOffset.UTC));

    assertThat(OriginalRecords.createdAt(django)).contains(at);
  }

  @Property(tries = 500)
  void anInstanceOfAnyContentBecomesOneOurRulesTake(@ForAll("anyText") String name, @ForAll("anyText") String frequency,
      @ForAll("anyText") String time, @ForAll("anyText") String day, @ForAll("anyText") String maxBackups,
      @ForAll("anyText") String maxAgeDays, @ForAll("anyText") String active, @ForAll("anyText") String envPrefix) {
    OriginalInstance row = new OriginalInstance(7, name, frequency, time, day, maxBackups, maxAgeDays, active, envPrefix);
    List<String> problems = new ArrayList<>();

    InstanceDefaults defaults = OriginalInstances.defaults(row, problems::add);
    String ours = OriginalInstances.name(row);
    String prefix = OriginalInstances.envPrefix(row);
    OriginalInstances.active(row);

    assertThat(InstanceNames.problem(ours)).as("'%s' is a name we take", ours).isEmpty();
    assertThat(defaults.schedule().cron()).isNull();
    assertThat(defaults.retention().maxBackups()).isBetween(0, 100_000);
    if (prefix != null) {
      assertThat(prefix).matches("[A-Z][A-Z0-9_]*").doesNotEndWith("_PING");
    }
    assertThat(problems).allMatch(p -> p.codePoints().noneMatch(LogText::unsafe), "log lines are one printable line");
  }
}
