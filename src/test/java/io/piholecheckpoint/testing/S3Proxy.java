package io.piholecheckpoint.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.net.URI;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Proxy (Maven Central's {@code org.gaul:s3proxy}, its jar-with-dependencies copied into target/ by
 * the build) serving the S3 API from a directory, in its own JVM on a free loopback port, with an
 * access key and secret: the real server the S3 destination is tested and benched against.
 */
public final class S3Proxy implements AutoCloseable {
  public static final String ACCESS_KEY_ID = "checkpoint-test";
  public static final String SECRET = "s3proxy-secret-4b1d0c9e";

  private final ServerProcess server;
  public final int port;
  public final Path data;

  private S3Proxy(ServerProcess server, Path data) {
    this.server = server;
    this.port = server.port;
    this.data = data;
  }

  /** Starts a server on {@code dir} (its data and log go there) and waits until it accepts connections. */
  public static S3Proxy start(Path dir) throws Exception {
    Path jar = Path.of(System.getProperty("checkpoint.s3proxyJar", "target/s3proxy/s3proxy.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: `mvn pre-integration-test` (or verify) copies S3Proxy there");
    }
    Path data = Files.createDirectories(dir.resolve("data"));
    Path properties = dir.resolve("s3proxy.properties");
    ServerProcess.Command command = port -> {
      Files.writeString(properties, String.join("\n",
          "s3proxy.endpoint=http://127.0.0.1:" + port,
          "s3proxy.authorization=aws-v2-or-v4",
          "s3proxy.identity=" + ACCESS_KEY_ID,
          "s3proxy.credential=" + SECRET,
          "jclouds.provider=filesystem-nio2",
          "jclouds.filesystem.basedir=" + data, ""));
      return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-DLOG_LEVEL=warn",
          "-jar", jar.toString(), "--properties", properties.toString());
    };
    return new S3Proxy(ServerProcess.start("S3Proxy", command, dir.resolve("s3proxy.log"), Duration.ofSeconds(60)), data);
  }

  /** A bucket: the store keeps one as a directory under its data directory. */
  public String bucket(String name) throws IOException {
    Files.createDirectories(data.resolve(name));
    return name;
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** A client of the store as its owner sees it, to look behind an adapter's back (unfinished uploads). */
  public S3Client client() {
    return S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).region(Region.US_EAST_1)
        .endpointOverride(URI.create(endpoint())).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET))).build();
  }

  public String log() {
    return server.log();
  }

  @Override
  public void close() throws InterruptedException {
    server.close();
  }
}
