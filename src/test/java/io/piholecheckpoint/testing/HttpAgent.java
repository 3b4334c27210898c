package io.piholecheckpoint.testing;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A client that keeps cookies like a browser and lets a test choose every header (Origin,
 * Authorization, forged cookies); it never follows redirects, so tests see them.
 */
public final class HttpAgent {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
  private final String baseUrl;
  private static final Pattern PAGE_TOKEN = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]*)\">");
  private final Map<String, String> cookies = new LinkedHashMap<>();
  private String csrfToken;

  public HttpAgent(ServedApp app) {
    this(app.url(""));
  }

  /** An agent for the app at {@code baseUrl} (such as http://127.0.0.1:8000), whatever container runs it. */
  public HttpAgent(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public String cookie(String name) {
    return cookies.get(name);
  }

  /** The CSRF token of the last page this agent got, as its forms and scripts would send it. */
  public String csrfToken() {
    return csrfToken;
  }

  public void setCookie(String name, String value) {
    cookies.put(name, value);
  }

  public HttpResponse<String> get(String path, String... headers) throws Exception {
    return send("GET", path, null, null, headers);
  }

  /** A form post, as a browser sends it; the fields are URL-encoded in order. */
  public HttpResponse<String> postForm(String path, Map<String, String> fields, String... headers) throws Exception {
    String body = fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return send("POST", path, "application/x-www-form-urlencoded", body, headers);
  }

  public HttpResponse<String> send(String method, String path, String contentType, String body, String... headers) throws Exception {
    return exchange(method, path, contentType, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body), headers);
  }

  /** Like {@link #send}, with a binary body (a multipart upload, say). */
  public HttpResponse<String> sendBytes(String method, String path, String contentType, byte[] body, String... headers) throws Exception {
    return exchange(method, path, contentType, HttpRequest.BodyPublishers.ofByteArray(body), headers);
  }

  /** A POST of one file in the form field {@code file}, as a browser's file input sends it. */
  public HttpResponse<String> upload(String path, String fileName, byte[] content, String... headers) throws Exception {
    String boundary = "----upload" + System.nanoTime();
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName + "\"\r\n"
        + "Content-Type: application/zip\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeBytes(content);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return sendBytes("POST", path, "multipart/form-data; boundary=" + boundary, body.toByteArray(), headers);
  }

  private HttpResponse<String> exchange(String method, String path, String contentType, HttpRequest.BodyPublisher body, String... headers)
      throws Exception {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).method(method, body);
    if (contentType != null) {
      builder.header("Content-Type", contentType);
    }
    if (!cookies.isEmpty()) {
      builder.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
    }
    for (int i = 0; i < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    for (String set : response.headers().allValues("Set-Cookie")) {
      String pair = set.split(";", 2)[0];
      String name = pair.substring(0, pair.indexOf('='));
      String value = pair.substring(pair.indexOf('=') + 1);
      if (value.isEmpty() || set.contains("Max-Age=0")) {
        cookies.remove(name);
      } else {
        cookies.put(name, value);
      }
    }
    Matcher token = PAGE_TOKEN.matcher(response.body());
    if (token.find()) {
      csrfToken = token.group(1);
    }
    return response;
  }
}
