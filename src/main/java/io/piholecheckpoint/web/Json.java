package io.piholecheckpoint.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.piholecheckpoint.core.restore.parts.RestoreMode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/** JSON answers (requests are read by {@link JsonBody}): times as ISO-8601 strings, errors as {@code {"error":{"code","message"}}}. */
public final class Json {
  private final ObjectMapper mapper = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .registerModule(new SimpleModule("lower-case enums").addSerializer(Enum.class, new LowerCaseEnums()))
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .setSerializationInclusion(JsonInclude.Include.ALWAYS);

  private final JsonBody reader = new JsonBody();

  /** The request body as {@code type}, strictly; see {@link JsonBody#read}. */
  public <T> JsonBody.Read<T> read(HttpServletRequest request, Class<T> type, String... nullable) throws IOException {
    return reader.read(request, type, nullable);
  }

  /** Refuses a body sent to a request that reads none; see {@link JsonBody#refuseBody}. */
  public void noBody(HttpServletRequest request) throws IOException {
    reader.refuseBody(request);
  }

  public void write(HttpServletResponse response, int status, Object body) throws IOException {
    response.setStatus(status);
    response.setContentType("application/json;charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    mapper.writeValue(response.getOutputStream(), body);
  }

  /** Writes {@code sample} nowhere: Jackson builds and keeps the serializers of its types, which the first answer would otherwise pay for. */
  public void prepare(Object sample) throws IOException {
    mapper.writeValue(java.io.OutputStream.nullOutputStream(), sample);
  }

  public void error(HttpServletResponse response, int status, String code, String message) throws IOException {
    write(response, status, Map.of("error", new ApiError(code, message)));
  }

  public record ApiError(String code, String message) {
  }

  /**
   * An enum as the API's requests and the README spell it: a restore mode by its id
   * ({@code lists-and-dns}), any other value in lower case ({@code verified}), never Java's
   * constant name ({@code EXACT}), which a client that sent {@code exact} would not recognise.
   */
  @SuppressWarnings("rawtypes")
  private static final class LowerCaseEnums extends StdSerializer<Enum> {
    private static final long serialVersionUID = 1L;

    LowerCaseEnums() {
      super(Enum.class);
    }

    @Override
    public void serialize(Enum value, JsonGenerator out, SerializerProvider provider) throws IOException {
      out.writeString(value instanceof RestoreMode mode ? mode.id() : value.name().toLowerCase(Locale.ROOT));
    }
  }

  /**
   * A request the API cannot take: 400 (not what it reads) or 413 (too large). {@code field}
   * names the offending field or parameter, as a path such as {@code parts.bogus}, or is null.
   */
  public static final class BadRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;
    private final String field;

    public BadRequestException(int status, String message) {
      this(status, status == 413 ? "too_large" : "bad_request", null, message);
    }

    public BadRequestException(int status, String code, String field, String message) {
      super(message);
      this.status = status;
      this.code = code;
      this.field = field;
    }

    public int status() {
      return status;
    }

    public String code() {
      return code;
    }

    public String field() {
      return field;
    }
  }
}
