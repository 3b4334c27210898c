package io.piholecheckpoint.core.settings;

import io.piholecheckpoint.core.secrets.TotpSecret;
import io.piholecheckpoint.core.instance.InstanceNames;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.schedule.FireTimes;
import io.piholecheckpoint.core.schedule.QuartzCron;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.core.units.LogText;
import io.piholecheckpoint.core.units.UrlText;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules every instance value obeys, wherever it comes from: the API, the browser form, the
 * environment, or a row read back at startup. Each rule answers with the problem in words a
 * person can act on, or empty when the value is fine.
 */
public final class InstanceRules {
  public static final int URL_LENGTH = 2048;
  public static final int CRON_LENGTH = 200;
  /** Far beyond any password a person or a password manager makes; a megabyte is a paste gone wrong, kept and sent at every login. */
  public static final int PASSWORD_LENGTH = 1024;
  /** Pi-hole's own TOTP secrets have 32 base32 characters; RFC 4226 secrets are at most 512 bits (104). */
  public static final int TOTP_SECRET_LENGTH = 128;
  private static final Pattern HOST_NAME = Pattern.compile("(?i)[a-z0-9]([a-z0-9-]{0,62})(\\.[a-z0-9]([a-z0-9-]{0,62}))*\\.?");
  private static final Pattern NUMERIC_HOST = Pattern.compile("(?i)([0-9]+|0x[0-9a-f]*)(\\.([0-9]+|0x[0-9a-f]*))*\\.?");
  private static final Pattern DOTTED_QUAD = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

  private InstanceRules() {
  }

  /**
   * An http(s) address of a Pi-hole: no user name or password in it (they would be shown and
   * logged in clear), a host that parses, and not a link-local or unspecified address (cloud
   * metadata services live there, Pi-holes do not). Private ranges are fine: Pi-holes live there.
   * Host names are not resolved here.
   */
  public static Optional<String> url(String url) {
    String u = url == null ? "" : url.trim();
    String example = "Enter the address of the Pi-hole web interface, starting with http:// or https://, e.g. https://pi.hole";
    if (characters(u) > URL_LENGTH) {
      return Optional.of("The address is too long (at most " + URL_LENGTH + " characters, this one has " + characters(u) + "). " + example);
    }
    if (u.matches("(?i)https?://.*") && UrlText.withoutUserInfo(u).matches("(?s)[^?#]*[?#].*")) {
      // said apart, as a user name and password is: "starting with http://" of an address that does would not say what is wrong
      return Optional.of("Leave the query (?…) and fragment (#…) out of the address: a Pi-hole's address is its web interface's, e.g. "
          + "https://pi.hole or https://host/admin; a password goes in its own field.");
    }
    if (!u.matches("(?i)https?://[^/\\s?#]+(/[^\\s?#]*)?") || u.codePoints().anyMatch(LogText::unsafe)) {
      return Optional.of(example);
    }
    Matcher port = PORT.matcher(u);
    if (port.lookingAt() && (port.group(1).length() > 5 || Integer.parseInt(port.group(1)) == 0 || Integer.parseInt(port.group(1)) > 65535)) {
      // java.net.URI reads a port too big for an int as no host at all, or as unreadable: say what is wrong instead
      return Optional.of("A port is a number from 1 to 65535.");
    }
    URI uri;
    try {
      uri = new URI(u);
    } catch (URISyntaxException e) {
      return Optional.of("The address cannot be read (" + e.getReason() + "). " + example);
    }
    if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
      return Optional.of("Leave the user name and password out of the address; enter the password in its own field.");
    }
    if (uri.getHost() == null) {
      return Optional.of("The address has no host that can be read. " + example);
    }
    if (uri.getPath() != null && Arrays.stream(uri.getPath().split("/", -1)).anyMatch(s -> s.equals("..") || s.equals("."))) {
      // a Pi-hole's path never needs them; "/pihole/../admin" is a different address from the one it shows
      return Optional.of("The address's path cannot contain . or .. parts; write the path as the Pi-hole's web interface has it, "
          + "e.g. https://host/admin.");
    }
    return host(uri.getHost());
  }

  private static final Pattern PORT = Pattern.compile("(?i)https?://(?:\\[[^\\]/]*\\]|[^:\\[\\]/?#@]*):0*(\\d+)(?=[/?#]|$)");
  /** The longest host name DNS can carry (RFC 1035: 255 octets on the wire, 253 characters written). */
  public static final int HOST_NAME_LENGTH = 253;

  private static final Pattern HTTP_URL = Pattern.compile("(?i)(https?://)(\\[[^\\]/?#@\\s]*\\]|[^/?#@\\[\\]\\s]+?)(:\\d+)?([/?#].*)?");

  /**
   * The URL as it is stored, used and shown, the same however its scheme and host were written: both
   * in lower case (RFC 3986 §3.1 and §3.2.2: they are case-insensitive; {@code HTTP://PI.LAN/Admin}
   * is {@code http://pi.lan/Admin}, the path keeps its case), and an international host name in its
   * ASCII (punycode) form, as DNS and TLS certificates spell it: {@code https://pihole.bücher.example}
   * is {@code https://pihole.xn--bcher-kva.example}. Anything else is returned as given, for
   * {@link #url} to judge.
   */
  public static String normalUrl(String url) {
    Matcher m = url == null ? null : HTTP_URL.matcher(url);
    if (m == null || !m.matches()) {
      return url;
    }
    String host = m.group(2);
    if (!host.chars().allMatch(c -> c < 0x80)) {
      try {
        host = java.net.IDN.toASCII(host, java.net.IDN.USE_STD3_ASCII_RULES);
      } catch (IllegalArgumentException e) {
        return url; // not a name IDNA can spell: the rules below say what is wrong with it
      }
    }
    return m.group(1).toLowerCase(Locale.ROOT) + host.toLowerCase(Locale.ROOT) + (m.group(3) == null ? "" : m.group(3))
        + (m.group(4) == null ? "" : m.group(4));
  }

  private static Optional<String> host(String rawHost) {
    String host = rawHost.startsWith("[") ? rawHost.substring(1, rawHost.length() - 1) : rawHost;
    boolean literal = rawHost.startsWith("[") || NUMERIC_HOST.matcher(host).matches();
    if (!literal && host.replaceAll("\\.$", "").length() > HOST_NAME_LENGTH) {
      return Optional.of("The host name is too long for DNS (at most " + HOST_NAME_LENGTH + " characters, this one has "
          + host.replaceAll("\\.$", "").length() + ").");
    }
    if (!literal) {
      return HOST_NAME.matcher(host).matches() ? Optional.empty()
          : Optional.of("'" + host + "' is not a valid host name; use letters, digits, dots and hyphens.");
    }
    if (!rawHost.startsWith("[") && !DOTTED_QUAD.matcher(host).matches()) {
      return Optional.of("Write an IPv4 address as four numbers from 0 to 255, e.g. 192.168.1.2.");
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(host);  // a literal: no DNS lookup
    } catch (UnknownHostException e) {
      return Optional.of("'" + host + "' is not a valid IP address.");
    }
    if (address.isAnyLocalAddress()) {
      return Optional.of("0.0.0.0 and :: mean \"any address\" and reach no Pi-hole; enter the Pi-hole's own address.");
    }
    if (address.isLinkLocalAddress() || address.isMulticastAddress() || isBroadcast(address)) {
      return Optional.of("Link-local, multicast and broadcast addresses (169.254.x.x, fe80::/10) are not allowed; "
          + "enter the Pi-hole's LAN address or host name.");
    }
    return Optional.empty();
  }

  private static boolean isBroadcast(InetAddress address) {
    return address.getHostAddress().equals("255.255.255.255");
  }

  /** A password (or app password) of at most {@link #PASSWORD_LENGTH} characters. */
  public static Optional<String> password(String password) {
    int length = password == null ? 0 : characters(password);
    return length > PASSWORD_LENGTH
        ? Optional.of("A password has at most " + PASSWORD_LENGTH + " characters (this one has " + length + ").") : Optional.empty();
  }

  /** A TOTP secret of at most {@link #TOTP_SECRET_LENGTH} characters, spaces and dashes included, as typed. */
  public static Optional<String> totpSecretLength(String secret) {
    int length = secret == null ? 0 : characters(secret.trim());
    return length > TOTP_SECRET_LENGTH ? Optional.of("A TOTP secret has at most " + TOTP_SECRET_LENGTH + " characters (this one has " + length
        + "); Pi-hole's own have 32.") : Optional.empty();
  }

  /** A TOTP secret must make a key ({@link TotpSecret#key}) and be at most {@link #TOTP_SECRET_LENGTH} characters: checked before it is stored. */
  public static Optional<String> totpSecret(String secret) {
    return totpSecretLength(secret).or(() -> TotpSecret.problem(secret));
  }

  /** A CA certificate must be one a TLS connection can use: parsed as X.509 before it is stored. */
  public static Optional<String> caPem(String pem) {
    String p = pem == null ? "" : pem.trim();
    String hint = "Paste the CA certificate in PEM form (the Pi-hole's /etc/pihole/tls_ca.crt).";
    if (!p.contains("-----BEGIN CERTIFICATE-----")) {
      return Optional.of(hint);
    }
    try {
      var certificates = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(p.getBytes(StandardCharsets.US_ASCII)));
      return certificates.isEmpty() ? Optional.of(hint) : Optional.empty();
    } catch (CertificateException | RuntimeException e) {
      return Optional.of("The certificate cannot be read as X.509 (" + e.getMessage() + "). " + hint);
    }
  }

  /**
   * TLS settings a connection can be made with. The form cannot produce incomplete ones, but a
   * hand-edited or half-migrated row can: CA_FILE with neither a file nor a certificate, a pin
   * without its fingerprint. Such an instance is marked, and never contacted.
   */
  public static Optional<String> tls(TlsTrust tls) {
    if (tls == null || tls.mode() == null) {
      return Optional.of("no TLS mode is stored; choose one");
    }
    boolean noCa = (tls.caFile() == null || tls.caFile().isBlank()) && (tls.caPem() == null || tls.caPem().isBlank());
    if (tls.mode() == TlsTrust.Mode.CA_FILE && noCa) {
      return Optional.of("the mode CA_FILE needs a CA certificate, but none is stored; paste the Pi-hole's CA certificate, or choose another mode");
    }
    if (tls.mode() == TlsTrust.Mode.FINGERPRINT && (tls.fingerprint() == null || !tls.fingerprint().matches("[0-9a-f]{64}"))) {
      return Optional.of("the mode FINGERPRINT needs the SHA-256 fingerprint of the Pi-hole's certificate (64 hex digits), but "
          + (tls.fingerprint() == null || tls.fingerprint().isBlank() ? "none is stored" : "the one stored is not one"));
    }
    return Optional.empty();
  }

  /** The text of a cron expression: there, and short enough to be a schedule rather than a paste gone wrong. */
  public static Optional<String> cronText(String cron) {
    if (cron == null || cron.isBlank()) {
      return Optional.of("A cron expression is needed; " + QuartzCron.EXAMPLES);
    }
    if (characters(cron.trim()) > CRON_LENGTH) {
      return Optional.of("The cron expression is too long (at most " + CRON_LENGTH + " characters, this one has " + characters(cron.trim()) + "); "
          + QuartzCron.EXAMPLES);
    }
    return Optional.empty();
  }

  /** How many characters a person counts in {@code text}: code points, so an emoji or a CJK extension character is one. */
  public static int characters(String text) {
    return text.codePointCount(0, text.length());
  }

  /**
   * A backup schedule is only valid if it {@link #firesAgain} and at most once a minute: each backup signs in to the Pi-hole
   * and exports it, and a Quartz cron with more than one second in its first field ({@code 0/5 * * * * ?}) would do so every
   * few seconds and fill the history. Never throws: a stored row is checked with it at every start.
   */
  public static Optional<String> schedule(Schedule schedule, FireTimes fireTimes) {
    return firesAgain(schedule, fireTimes).or(() -> atMostOnceAMinute(schedule, fireTimes));
  }

  private static Optional<String> atMostOnceAMinute(Schedule schedule, FireTimes fireTimes) {
    try {
      return fireTimes.underAMinuteApart(schedule).map(apart -> ("The cron expression '%s' fires more than once a minute (two fires %d"
          + " second(s) apart): its first field, Quartz's seconds, names more than one second. A backup runs at most once a minute: put"
          + " one second in that field, e.g. 0 */5 * * * ?, or use crontab's 5 fields, e.g. */5 * * * *").formatted(written(schedule),
          apart.toSeconds()));
    } catch (IllegalArgumentException e) {
      return Optional.of(cannotBeUsed(schedule, e));
    }
  }

  /**
   * A schedule is only valid if the scheduler accepts it and it fires again: a cron for
   * 31 February parses, but Quartz refuses to schedule a trigger that never fires.
   */
  public static Optional<String> firesAgain(Schedule schedule, FireTimes fireTimes) {
    try {
      return fireTimes.next(schedule).isEmpty() ? Optional.of(neverFiresAgain(schedule)) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(cannotBeUsed(schedule, e));
    }
  }

  private static String neverFiresAgain(Schedule schedule) {
    return (schedule.kind() == Schedule.Kind.CRON ? "The cron expression" : "The schedule") + " '" + written(schedule) + "' never fires again"
        + " (e.g. 31 February, or a year that is past or more than 100 years ahead); enter one that does, e.g. 30 2 * * *";
  }

  /**
   * The mark of an instance whose schedule fired for the last time, as {@link #problemOf} words it once the clock is past that
   * fire: the scheduler says so at the fire itself, when the rules would still count it as to come.
   */
  public static String scheduleEnded(PiholeInstance instance) {
    return "schedule: " + neverFiresAgain(instance.schedule()) + where(instance);
  }

  private static String where(PiholeInstance instance) {
    return instance.fromEnvironment() ? " — fix the variables " + instance.settingsPrefix() + "* and restart" : " — edit the instance to fix it";
  }

  private static String cannotBeUsed(Schedule schedule, IllegalArgumentException e) {
    return (schedule.kind() == Schedule.Kind.CRON ? "The cron expression" : "The schedule") + " '" + written(schedule) + "' cannot be used: "
        + (e.getMessage() == null ? "" : e.getMessage());
  }

  private static String written(Schedule schedule) {
    return schedule.kind() == Schedule.Kind.CRON ? schedule.cron().trim() : schedule.describe();
  }

  /** Why a stored instance cannot be backed up on schedule: the rules above, applied again. */
  public static Optional<String> problemOf(PiholeInstance instance, FireTimes fireTimes) {
    if (instance.problem() != null) {
      return Optional.of(instance.problem());
    }
    return InstanceNames.problem(instance.name()).map(p -> "name: " + p)
        .or(() -> url(instance.url()).map(p -> "URL: " + p))
        .or(() -> tls(instance.tls()).map(p -> "TLS: " + (instance.fromEnvironment() && TlsTrust.UNREAD_PIN.equals(instance.tls())
            ? TlsTrust.unreadPin(instance.settingsPrefix() + "TLS_FINGERPRINT") : p)))
        .or(() -> instance.tls().overHttp(instance.url()).map(p -> "TLS: " + p))
        .or(() -> Optional.ofNullable(instance.tls().caPem()).flatMap(InstanceRules::caPem).map(p -> "CA certificate: " + p))
        .or(() -> numbers(instance))
        .or(() -> schedule(instance.schedule(), fireTimes).map(p -> "schedule: " + p))
        .map(p -> p + where(instance));
  }

  /** A number the form would refuse (a hand-edited row's timeout of 999999999 s), by the same fields' own ranges. */
  private static Optional<String> numbers(PiholeInstance i) {
    var r = i.retention();
    return java.util.stream.Stream.of(outOfRange(InstanceSettings.TIMEOUT_SECONDS, i.timeoutSeconds()), outOfRange(InstanceSettings.MAX_BACKUPS,
        r.maxBackups()), outOfRange(InstanceSettings.MAX_AGE_DAYS, r.maxAgeDays()), outOfRange(InstanceSettings.KEEP_DAILY, r.keepDaily()),
        outOfRange(InstanceSettings.KEEP_WEEKLY, r.keepWeekly()), outOfRange(InstanceSettings.KEEP_MONTHLY, r.keepMonthly()))
        .flatMap(Optional::stream).findFirst();
  }

  private static Optional<String> outOfRange(InstanceSettings.Field<Integer> field, Integer stored) {
    return stored == null || field.read(stored.toString()).isPresent() ? Optional.empty()
        : Optional.of("%s: the stored %d is not %s".formatted(field.formField(), stored, field.expected()));
  }
}
