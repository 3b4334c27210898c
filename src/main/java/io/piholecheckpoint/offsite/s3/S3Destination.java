package io.piholecheckpoint.offsite.s3;

import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.core.offsite.remote.DestinationException;
import io.piholecheckpoint.core.offsite.remote.DestinationException.Problem;
import io.piholecheckpoint.core.offsite.remote.ObjectKeys;
import io.piholecheckpoint.core.offsite.remote.RemoteObject;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * {@code s3://bucket/prefix}: AWS S3 and the stores that speak its API (Backblaze B2, Wasabi,
 * Cloudflare R2, MinIO, Garage). An archive up to {@link #PART_BYTES} is one PutObject; a larger
 * one a multipart upload of parts that size, read from the stream one part at a time into a
 * temporary file the SDK reads again for each attempt of the request (the heap holds no part), and aborted when anything fails, so that neither a
 * half object nor parts that are billed but never completed stay behind. The store is asked to
 * verify and keep a SHA-256 of what it received; {@link #check} reads that back, or, where the store
 * keeps none or only a checksum of the parts' checksums, reads the object again and hashes it.
 * A call that carries no archive ends within the timeout, the SDK's own retries included; closing
 * the destination cuts off the calls under way (see {@link AbortOnCloseHttpClient}).
 */
public final class S3Destination implements Destination {
  /** Parts of 16 MiB: ten thousand of them reach 156 GiB, far above any Pi-hole archive. */
  static final long PART_BYTES = 16L * 1024 * 1024;
  /** S3's rules for a bucket's name (the general purpose buckets'): the stores that speak its API refuse others, late and vaguely. */
  private static final Pattern BUCKET = Pattern.compile("(?!xn--)(?!.*\\.\\.)(?!\\d+\\.\\d+\\.\\d+\\.\\d+$)[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]");
  private static final Pattern REGION = Pattern.compile("[a-z0-9][a-z0-9\\-]{0,62}");
  private static final int BUFFER_BYTES = 64 * 1024;
  /**
   * Bodies up to this size (a probe, a manifest) go out at once on any line a backup can use, so their
   * call, its retries included, ends within the timeout; an archive's has no limit on the whole (a
   * large one on a slow line takes long): each attempt fails when the store is silent for the timeout.
   */
  static final long SMALL_BODY_BYTES = 64 * 1024;

  private final S3Client s3;
  /** Not closed with {@link #s3}, which closes only a client it built itself. */
  private final AbortOnCloseHttpClient http;
  private final String bucket;
  /** Either empty or ending with {@code /}. */
  private final String prefix;
  private final String where;
  private final String credentialVariables;
  /** The whole call within the timeout: the SDK's retries would otherwise wait it out once per attempt. */
  private final AwsRequestOverrideConfiguration bounded;
  private final Duration timeout;
  private volatile boolean closed;

  public S3Destination(DestinationConfig config) {
    URI url = config.url();
    String urlVariable = config.variable("URL");
    if ("s3".equals(url.getScheme())) {
      config.requireNoQuery("ENDPOINT", "REGION", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "PATH_STYLE");
    }
    // the URL is not quoted back: a user may have put a key in it
    if (!"s3".equals(url.getScheme()) || url.getRawAuthority() == null || url.getRawUserInfo() != null
        || url.getQuery() != null || url.getFragment() != null) {
      throw new IllegalArgumentException(urlVariable + " must be s3://bucket or s3://bucket/prefix (the bucket's name, no credentials: they go in "
          + config.variable("ACCESS_KEY_ID") + " and " + config.variable("SECRET_ACCESS_KEY") + ")");
    }
    if (!BUCKET.matcher(url.getRawAuthority()).matches()) {
      // not quoted back either: what stands there may be a key
      throw new IllegalArgumentException(urlVariable + " names no valid S3 bucket: a bucket's name is 3-63 characters of lower-case letters, digits,"
          + " dots and hyphens, starting and ending with a letter or digit, without two dots in a row, such as s3://pihole-backups/checkpoint");
    }
    this.bucket = url.getRawAuthority();
    String path = url.getPath() == null ? "" : url.getPath().replaceAll("^/+|/+$", "");
    if (!path.isEmpty()) {
      try {
        ObjectKeys.requireSafe(path);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(urlVariable + " has a prefix with empty, . or .. segments: use s3://bucket/some/prefix");
      }
    }
    this.prefix = path.isEmpty() ? "" : path + "/";

    String region = config.option("REGION").orElse("us-east-1").trim();
    if (!REGION.matcher(region).matches()) {
      throw new IllegalArgumentException(config.variable("REGION") + " must be a region name such as us-east-1 or eu-central-003");
    }
    URI endpoint = config.option("ENDPOINT").map(e -> endpoint(config, e.trim())).orElse(null);
    String keyId = config.option("ACCESS_KEY_ID").map(String::trim)
        .orElseThrow(() -> new IllegalArgumentException(config.variable("ACCESS_KEY_ID") + " is required: the access key's ID from the store"));
    String secret = config.option("SECRET_ACCESS_KEY").map(String::trim)
        .orElseThrow(() -> new IllegalArgumentException(config.variable("SECRET_ACCESS_KEY") + " (or " + config.variable("SECRET_ACCESS_KEY_FILE")
            + ") is required: the secret of " + config.variable("ACCESS_KEY_ID")));
    String pathStyle = config.option("PATH_STYLE").orElse("false").trim().toLowerCase(java.util.Locale.ROOT);
    if (!pathStyle.equals("true") && !pathStyle.equals("false")) {
      throw new IllegalArgumentException(config.variable("PATH_STYLE") + " must be true (MinIO, Garage) or false");
    }
    this.credentialVariables = config.variable("ACCESS_KEY_ID") + " and " + config.variable("SECRET_ACCESS_KEY");
    this.where = "s3://" + bucket + "/" + prefix + (endpoint == null ? " (AWS " + region + ")" : " at " + endpoint);

    this.timeout = config.timeout();
    this.bounded = AwsRequestOverrideConfiguration.builder().apiCallTimeout(timeout).build();
    this.http = new AbortOnCloseHttpClient(UrlConnectionHttpClient.builder()
        .connectionTimeout(timeout)
        .socketTimeout(timeout)
        .build());
    S3ClientBuilder builder = S3Client.builder()
        .httpClient(http)
        .region(Region.of(region))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret)))
        .forcePathStyle(pathStyle.equals("true"));
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    this.s3 = builder.build();
  }

  private static URI endpoint(DestinationConfig config, String value) {
    URI uri;
    try {
      uri = URI.create(value);
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
        || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(config.variable("ENDPOINT") + " must be the store's address such as https://s3.eu-central-003.backblazeb2.com"
          + " (no credentials in it)");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      // the client would drop or mangle it: the region, say, has a setting of its own
      throw new IllegalArgumentException(config.variable("ENDPOINT") + " must be the store's address without a query or fragment (the part from"
          + " '?' or '#'), such as https://s3.eu-central-003.backblazeb2.com; set the region with " + config.variable("REGION"));
    }
    return uri;
  }

  @Override
  public void put(String key, InputStream in, long length) throws IOException {
    String name = name(key);
    Source source = new Source(in);
    try {
      if (length <= PART_BYTES) {
        try (Spooled body = source.spool(length)) {
          s3.putObject(b -> b.bucket(bucket).key(name).contentLength(length).checksumAlgorithm(ChecksumAlgorithm.SHA256)
              .overrideConfiguration(length <= SMALL_BODY_BYTES ? bounded : null), body.body());
        }
      } else {
        putInParts(key, name, source, length);
      }
    } catch (RuntimeException | IOException e) { // the SDK's own, and the archive's or the spool file's
      throw source.failure(key, length).orElseGet(() -> translate("copying " + key, e));
    }
  }

  private void putInParts(String key, String name, Source source, long length) throws IOException {
    abortLeftoverUploads(key, name);
    String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(name).checksumAlgorithm(ChecksumAlgorithm.SHA256)
        .overrideConfiguration(bounded)).uploadId();
    try {
      List<CompletedPart> parts = new ArrayList<>();
      long left = length;
      for (int number = 1; left > 0; number++) {
        long size = Math.min(PART_BYTES, left);
        int partNumber = number;
        UploadPartResponse uploaded;
        try (Spooled body = source.spool(size)) {
          uploaded = s3.uploadPart(b -> b.bucket(bucket).key(name).uploadId(uploadId).partNumber(partNumber)
              .contentLength(size).checksumAlgorithm(ChecksumAlgorithm.SHA256), body.body());
        }
        parts.add(CompletedPart.builder().partNumber(partNumber).eTag(uploaded.eTag()).checksumSHA256(uploaded.checksumSHA256()).build());
        left -= size;
      }
      s3.completeMultipartUpload(b -> b.bucket(bucket).key(name).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
    } catch (RuntimeException | IOException e) {
      abort(key, name, uploadId, e);
      throw e;
    }
  }

  /**
   * What an upload of this key left when its process was killed mid-copy: its parts are never
   * listed as an object, but kept and billed until aborted. One process writes a key at a time (the
   * one that runs the schedules), so any unfinished upload of it is a dead one's. A store or key
   * that does not allow listing uploads leaves them to a lifecycle rule, as before.
   */
  private void abortLeftoverUploads(String key, String name) {
    try {
      for (MultipartUpload upload : s3.listMultipartUploads(b -> b.bucket(bucket).prefix(name).overrideConfiguration(bounded)).uploads()) {
        if (upload.key().equals(name)) {
          s3.abortMultipartUpload(b -> b.bucket(bucket).key(name).uploadId(upload.uploadId()).overrideConfiguration(bounded));
        }
      }
    } catch (SdkException | RejectedExecutionException e) {
      // the new upload is what matters; it reports its own failure if the store is unwell
    }
  }

  /** Parts of an upload that never completes are kept, and billed, until aborted. */
  private void abort(String key, String name, String uploadId, Exception cause) {
    try {
      s3.abortMultipartUpload(b -> b.bucket(bucket).key(name).uploadId(uploadId).overrideConfiguration(bounded));
    } catch (SdkException | RejectedExecutionException e) {
      cause.addSuppressed(new DestinationException(Problem.FAILED, "the parts of the unfinished upload of " + key + " could not be removed from "
          + where + " (upload " + uploadId + "); a lifecycle rule that aborts incomplete multipart uploads removes them"));
    }
  }

  @Override
  public Optional<RemoteObject> check(String key) throws IOException {
    String name = name(key);
    HeadObjectResponse head;
    try {
      head = s3.headObject(b -> b.bucket(bucket).key(name).checksumMode(ChecksumMode.ENABLED).overrideConfiguration(bounded));
    } catch (SdkException | RejectedExecutionException e) {
      if (isNotFound(e)) {
        requireBucket();
        return Optional.empty();
      }
      throw translate("checking " + key, e);
    }
    String stored = sha256OfWholeObject(head);
    if (stored != null && head.contentLength() != null) {
      return Optional.of(new RemoteObject(key, head.contentLength(), stored, head.lastModified()));
    }
    return Optional.of(readBack(key));
  }

  /** The store's own SHA-256 of the bytes; null for none, or for a checksum of the parts' checksums. */
  private static String sha256OfWholeObject(HeadObjectResponse head) {
    String checksum = head.checksumSHA256();
    if (checksum == null || checksum.contains("-") || head.checksumType() == ChecksumType.COMPOSITE) {
      return null;
    }
    try {
      byte[] digest = Base64.getDecoder().decode(checksum);
      return digest.length == 32 ? HexFormat.of().formatHex(digest) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private RemoteObject readBack(String key) throws IOException {
    MessageDigest sha256 = sha256();
    long size = 0;
    java.time.Instant modified;
    try (ResponseInputStream<GetObjectResponse> in = get(key)) {
      modified = in.response().lastModified();
      byte[] buffer = new byte[BUFFER_BYTES];
      for (int n; (n = in.read(buffer)) != -1; ) {
        sha256.update(buffer, 0, n);
        size += n;
      }
    } catch (IOException e) {
      throw e instanceof DestinationException d ? d : translate("reading " + key + " back", e);
    }
    return new RemoteObject(key, size, HexFormat.of().formatHex(sha256.digest()), modified);
  }

  @Override
  public InputStream open(String key) throws IOException {
    ResponseInputStream<GetObjectResponse> response = get(key);
    return new FilterInputStream(response) {
      private boolean ended;

      @Override
      public int read() throws IOException {
        try {
          int b = super.read();
          ended = b == -1;
          return b;
        } catch (IOException e) {
          throw translate("reading " + key, e);
        }
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
          int n = super.read(buffer, offset, length);
          ended = n == -1;
          return n;
        } catch (IOException e) {
          throw translate("reading " + key, e);
        }
      }

      @Override
      public void close() throws IOException {
        if (!ended) { // closing would otherwise read the rest of the object to reuse the connection
          response.abort();
        }
        super.close();
      }
    };
  }

  private ResponseInputStream<GetObjectResponse> get(String key) throws IOException {
    String name = name(key);
    try {
      return s3.getObject(b -> b.bucket(bucket).key(name).overrideConfiguration(bounded)); // until its answer begins: the body reads on
    } catch (NoSuchKeyException e) {
      throw new DestinationException(Problem.MISSING, key + " is not in " + where + " (deleted there?)", e);
    } catch (SdkException | RejectedExecutionException e) {
      throw translate("reading " + key, e);
    }
  }

  @Override
  public List<RemoteObject> list(String keyPrefix) throws IOException {
    List<RemoteObject> found = new ArrayList<>();
    try {
      for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + keyPrefix).overrideConfiguration(bounded)).contents()) {
        if (!object.key().endsWith("/")) { // folder markers that consoles create
          found.add(new RemoteObject(object.key().substring(prefix.length()), object.size(), null, object.lastModified()));
        }
      }
    } catch (SdkException | RejectedExecutionException e) {
      throw translate("listing", e);
    }
    return found;
  }

  @Override
  public void delete(String key) throws IOException {
    String name = name(key);
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(name).overrideConfiguration(bounded));
    } catch (NoSuchKeyException e) {
      // some stores answer 404 where S3 answers 204: gone either way
    } catch (SdkException | RejectedExecutionException e) {
      throw translate("deleting " + key, e);
    }
    abortLeftoverUploads(key, name); // a killed upload's parts of the key go with it: never listed, billed for good
  }

  @Override
  public String describe() {
    return where;
  }

  /** Cuts off the calls under way, which fail, and every call after it. */
  @Override
  public void close() {
    closed = true;
    http.close();
    s3.close();
  }

  private String name(String key) {
    return prefix + ObjectKeys.requireSafe(key);
  }

  /** A HEAD has no body to say which is missing: the object, or the whole bucket. */
  private void requireBucket() throws DestinationException {
    try {
      s3.headBucket(b -> b.bucket(bucket).overrideConfiguration(bounded));
    } catch (SdkException | RejectedExecutionException e) {
      throw translate("checking the bucket", e);
    }
  }

  private static boolean isNotFound(RuntimeException e) {
    return e instanceof NoSuchKeyException || e instanceof AwsServiceException s && s.statusCode() == 404;
  }

  DestinationException translate(String what, Exception e) {
    if (e instanceof DestinationException d) {
      return d;
    }
    if (closed) { // the SDK then fails in its own ways: its timer's executor is shut down (RejectedExecutionException)
      return new DestinationException(Problem.UNREACHABLE, what + " at " + where + " was cut off: the destination was closed (changed or deleted"
          + " in Settings, or Pi-hole Checkpoint is stopping)", e);
    }
    if (e instanceof AwsServiceException s) {
      String code = s.awsErrorDetails() == null || s.awsErrorDetails().errorCode() == null ? "" : s.awsErrorDetails().errorCode();
      int status = s.statusCode();
      String answered = where + " answered " + status + (code.isEmpty() ? "" : " " + code);
      if (code.equals("NoSuchBucket") || status == 404 && what.equals("checking the bucket")) {
        return new DestinationException(Problem.FAILED, what + " failed: there is no bucket " + bucket + " at " + where
            + ": create bucket " + bucket + " or fix the bucket's name in the URL", e);
      }
      if (status == 401 || status == 403 || code.equals("InvalidAccessKeyId") || code.equals("SignatureDoesNotMatch") || code.equals("AccessDenied")) {
        return new DestinationException(Problem.REFUSED, what + " was refused: " + answered + "; check " + credentialVariables
            + " and that the key may read and write the bucket", e);
      }
      if (status == 507 || code.equals("QuotaExceeded") || code.equals("EntityTooLarge") || code.equals("InsufficientStorage")) {
        return new DestinationException(Problem.FULL, what + " failed: " + answered + " (the store is full or over its quota); free space,"
            + " raise the quota or lower the destination's retention", e);
      }
      if (code.equals("NoSuchKey")) {
        return new DestinationException(Problem.MISSING, what + " failed: " + answered + " (deleted there?)", e);
      }
      if (status >= 500) {
        return new DestinationException(Problem.UNREACHABLE, what + " failed: " + answered + "; it will be tried again", e);
      }
      return new DestinationException(Problem.FAILED, what + " failed: " + answered + ": " + s.awsErrorDetails().errorMessage(), e);
    }
    for (Throwable cause : causes(e)) {
      if (cause instanceof SocketTimeoutException || cause instanceof HttpTimeoutException || cause instanceof ApiCallTimeoutException
          || cause instanceof ApiCallAttemptTimeoutException) {
        return new DestinationException(Problem.TIMEOUT, what + " timed out: " + where + " did not answer in time (" + timeout.toSeconds()
            + " s); it will be tried again", e);
      }
      if (cause instanceof ConnectException || cause instanceof UnknownHostException || cause instanceof NoRouteToHostException) {
        return new DestinationException(Problem.UNREACHABLE, what + " failed: " + where + " cannot be reached (" + cause.getClass().getSimpleName()
            + "); check the endpoint and the network; it will be tried again", e);
      }
      if (cause instanceof SSLException) {
        return new DestinationException(Problem.FAILED, what + " failed: TLS with " + where + " failed (" + cause.getMessage() + ")", e);
      }
    }
    if (causes(e).stream().anyMatch(IOException.class::isInstance)) {
      return new DestinationException(Problem.UNREACHABLE, what + " failed: the connection to " + where + " broke (" + rootMessage(e)
          + "); it will be tried again", e);
    }
    return new DestinationException(Problem.FAILED, what + " at " + where + " failed: " + rootMessage(e), e);
  }

  /** The chain of causes, and of the failures the SDK's earlier attempts left as suppressed ones. */
  private static List<Throwable> causes(Throwable e) {
    List<Throwable> all = new ArrayList<>();
    for (Throwable cause = e; cause != null && !all.contains(cause); cause = cause.getCause()) {
      all.add(cause);
      for (Throwable suppressed : cause.getSuppressed()) {
        all.addAll(causes(suppressed));
      }
    }
    return all;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The archive being sent, handed to the SDK one request body at a time. It remembers a failure
   * of the archive's own stream (or its ending early), which the SDK reports only as a failed
   * request: that is no fault of the destination, and the message says so.
   */
  private static final class Source {
    private final InputStream in;
    private long read;
    private IOException failed;

    Source(InputStream in) {
      this.in = in;
    }

    /**
     * The next {@code size} bytes, read once from the archive into a file of their own (mode 0600, in the JVM's temporary
     * folder), which each attempt of the request reads from its start. The SDK sends a body again after a failure that may
     * pass (a connection reset in the middle of a part); a stream could be rewound only as far as a buffer in the heap
     * reaches, and a part is 16 MiB (the image's heap 96 MB), so a retry after more was sent used to fail every time.
     * The file is unlinked as it is opened (DELETE_ON_CLOSE does that on Unix; elsewhere it goes when closed): only the
     * open channel holds its bytes, so a process killed mid-request leaves nothing in a folder other processes share.
     */
    Spooled spool(long size) throws IOException {
      FileChannel channel = null;
      try {
        Path file = Path.of(System.getProperty("java.io.tmpdir")).resolve("checkpoint-s3-" + UUID.randomUUID() + ".part");
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE,
            StandardOpenOption.DELETE_ON_CLOSE);
        channel = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
            ? FileChannel.open(file, options, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
            : FileChannel.open(file, options);
        try (InputStream part = next(size)) {
          part.transferTo(Channels.newOutputStream(channel));
        }
        return new Spooled(channel, size, this);
      } catch (IOException | RuntimeException e) {
        if (channel != null) {
          channel.close();
        }
        if (failed == null && e instanceof IOException) { // the archive read well: the temporary file failed
          throw new DestinationException(Problem.FAILED, "a part of " + size + " bytes could not be written to the temporary folder "
              + System.getProperty("java.io.tmpdir") + " (" + e.getMessage() + "); free space there, or point java.io.tmpdir"
              + " (JAVA_TOOL_OPTIONS=-Djava.io.tmpdir=...) at a writable folder", e);
        }
        throw e;
      }
    }

    /**
     * Fails when the archive's stream does: a zero-length read of it, at each read of a spooled body, so that a stop or a
     * withdrawn destination (which the stream reports at its next read) ends the request under way at once.
     */
    void requireReadable() throws IOException {
      if (failed != null) {
        throw failed;
      }
      try {
        in.read(new byte[0], 0, 0);
      } catch (IOException e) {
        failed = e;
        throw e;
      }
    }

    /** The next {@code size} bytes; never closes the archive's stream. */
    private InputStream next(long size) {
      return new InputStream() {
        private long left = size;

        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
          if (left == 0) {
            return -1;
          }
          if (failed != null) {
            throw failed;
          }
          int n;
          try {
            n = in.read(buffer, offset, (int) Math.min(length, left));
          } catch (IOException e) {
            failed = e;
            throw e;
          }
          if (n == -1) {
            failed = new IOException("the archive ended after " + read + " bytes");
            throw failed;
          }
          left -= n;
          read += n;
          return n;
        }
      };
    }

    Optional<DestinationException> failure(String key, long length) {
      return Optional.ofNullable(failed).map(e -> new DestinationException(Problem.FAILED, "reading the archive " + key + " to copy it failed after "
          + read + " of " + length + " bytes (" + e.getMessage() + "); nothing was kept, it will be sent again", e));
    }
  }

  /** One request's body, spooled: every attempt reads the same bytes from the file, which goes when the request is done. */
  private static final class Spooled implements ContentStreamProvider, AutoCloseable {
    private final FileChannel file;
    private final long size;
    private final Source source;

    Spooled(FileChannel file, long size, Source source) {
      this.file = file;
      this.size = size;
      this.source = source;
    }

    RequestBody body() {
      return RequestBody.fromContentProvider(this, size, "application/octet-stream");
    }

    /** The SDK may read a body more than once for one attempt (to sign it, then to send it): each stream reads from its own position. */
    @Override
    public InputStream newStream() {
      InputStream fromStart = new InputStream() {
        private long position;

        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
          if (length == 0) {
            return 0;
          }
          if (position >= size) {
            return -1;
          }
          int n = file.read(ByteBuffer.wrap(buffer, offset, (int) Math.min(length, size - position)), position);
          if (n > 0) {
            position += n;
          }
          return n;
        }
      };
      return new FilterInputStream(new BufferedInputStream(fromStart, BUFFER_BYTES)) {
        @Override
        public int read() throws IOException {
          source.requireReadable();
          return super.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
          source.requireReadable();
          return super.read(buffer, offset, length);
        }
      };
    }

    @Override
    public String name() {
      return "spooled part";
    }

    /** Its streams need no closing: they hold nothing but a position in this channel, whose closing frees the file's space. */
    @Override
    public void close() throws IOException {
      file.close();
    }
  }
}
