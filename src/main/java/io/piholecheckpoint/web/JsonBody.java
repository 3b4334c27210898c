package io.piholecheckpoint.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one way the API reads a request body: a JSON object of exactly the request record's shape.
 * Jackson's lenient defaults turned {@code "dryRun":"yes"} into false and {@code "target":"abc"}
 * into 0; here a value of the wrong JSON type, an unknown or repeated key, or a null where the
 * record does not say null is allowed is a 400 that names the field.
 */
public final class JsonBody {
  /** The largest request body the API reads; instance settings are a few kB. */
  public static final int MAX_BODY_BYTES = 64 * 1024;
  /** Our request records nest two levels; 16 leaves room and stops a stack of brackets early. */
  private static final int MAX_DEPTH = 16;

  private final ObjectMapper mapper = strictMapper();

  /** A body read into {@code value}; {@code tree} tells a key sent as null from one left out. */
  public record Read<T>(T value, JsonNode tree) {
  }

  /**
   * Reads the body into {@code type}.
   *
   * @param nullable top-level fields that may be sent as null (the caller gives null a meaning)
   */
  public <T> Read<T> read(HttpServletRequest request, Class<T> type, String... nullable) throws IOException {
    requireJsonType(request);
    JsonNode tree = tree(bytes(request));
    refuseBrokenText(tree, "");
    try {
      T value = mapper.treeToValue(tree, type);
      refuseNulls(tree, "", Set.of(nullable));
      return new Read<>(value, tree);
    } catch (JsonMappingException e) {
      throw JsonProblems.of(e, tree);
    }
  }

  /**
   * For an endpoint that reads no body: a JSON body sent anyway ({@code {"wait":true}} to a POST
   * that takes {@code ?wait=true}) is refused rather than ignored. Form bodies pass: the pages'
   * forms post their CSRF token to some API endpoints.
   */
  public void refuseBody(HttpServletRequest request) throws IOException {
    String type = request.getContentType();
    if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      return;
    }
    byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES);
    if (!new String(body, StandardCharsets.UTF_8).isBlank()) {
      throw new Json.BadRequestException(400, "unexpected_body", null, "this request takes no body; its options go in the query string");
    }
  }

  /**
   * A body is read as JSON only when it says it is one ({@code application/json}, or a type of the {@code +json} family): a form
   * body ({@code curl -d}'s default) or text that happens to parse was taken as JSON, so a client's mistake passed unseen. Checked
   * before a byte is parsed; the type sent is named (cut short) so that the client sees what it sent.
   */
  private static void requireJsonType(HttpServletRequest request) {
    String type = request.getContentType();
    String media = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (media.equals("application/json") || media.startsWith("application/") && media.endsWith("+json")) {
      return;
    }
    String sent = type == null ? "no Content-Type" : "Content-Type " + (type.length() > 60 ? type.substring(0, 60) + "…" : type);
    RefusedBody.drain(request); // read, never parsed
    throw new Json.BadRequestException(415, "unsupported_media_type", null, "this request reads a JSON body and was sent " + sent
        + ": send the JSON object with Content-Type: application/json");
  }

  private static byte[] bytes(HttpServletRequest request) throws IOException {
    if (request.getContentLengthLong() > MAX_BODY_BYTES) {
      throw tooLarge(request);
    }
    byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      throw tooLarge(request); // chunked bodies say their size only by being read
    }
    return body;
  }

  /** The 413, once the body has been {@link RefusedBody#drain drained}, so that the client hears it. */
  private static Json.BadRequestException tooLarge(HttpServletRequest request) {
    RefusedBody.drain(request);
    return tooLarge();
  }

  private JsonNode tree(byte[] body) {
    refuseMalformedUtf8(body);
    try {
      JsonNode tree = mapper.readTree(body);
      if (tree == null || tree.isMissingNode() || !tree.isObject()) {
        throw new Json.BadRequestException(400, "send a JSON object, e.g. {}");
      }
      return tree;
    } catch (StreamConstraintsException e) {
      throw new Json.BadRequestException(400, "the JSON is nested more than " + MAX_DEPTH + " levels deep");
    } catch (JsonProcessingException e) {
      throw JsonProblems.of(e, e.getProcessor() instanceof JsonParser p ? p.getParsingContext().pathAsPointer().toString() : "");
    } catch (IOException e) {
      throw new Json.BadRequestException(400, "the body is not valid JSON");
    }
  }

  /** JSON null is a value of its own type: refused unless the request record gives it a meaning (never in a list). */
  private static void refuseNulls(JsonNode node, String path, Set<String> nullable) {
    for (int i = 0; node.isArray() && i < node.size(); i++) {
      String at = path + "[" + i + "]";
      if (node.get(i).isNull()) {
        throw new Json.BadRequestException(400, "wrong_type", path, at + " must not be null; leave it out of the list");
      }
      refuseNulls(node.get(i), at, nullable);
    }
    for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
      if (field.getValue().isNull() && !nullable.contains(at)) {
        throw new Json.BadRequestException(400, "wrong_type", at, at + " must not be null; leave it out instead");
      }
      refuseNulls(field.getValue(), at, nullable);
    }
  }

  /**
   * JSON lets a string escape half of a surrogate pair ({@code "\\ud800"}); no text holds one, and stored it became "?"
   * (an instance named "?" from one, another refused as a clash with it). Refused wherever it is, naming the field.
   */
  private static void refuseBrokenText(JsonNode node, String path) {
    if (node.isTextual() && unpairedSurrogateAt(node.textValue()) >= 0) {
      throw new Json.BadRequestException(400, "invalid_text", path, (path.isEmpty() ? "the body" : path)
          + " holds half of a UTF-16 surrogate pair (an escape such as \\ud800 without its partner): send the whole character");
    }
    for (int i = 0; node.isArray() && i < node.size(); i++) {
      refuseBrokenText(node.get(i), path + "[" + i + "]");
    }
    for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      refuseBrokenText(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey());
    }
  }

  /**
   * Jackson decodes UTF-8 leniently: an overlong form ({@code C0 AE} for ".", {@code E0 80 AF} for "/") became the character
   * it spells, so a name passed as "a." that no check of the text saw sent so. Any byte sequence that is not UTF-8 is refused
   * as the surrogate escape is, naming the field it is in when the rest of the body says which.
   */
  private void refuseMalformedUtf8(byte[] body) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body));
    } catch (CharacterCodingException e) {
      String field = fieldHolding(marked(body));
      throw new Json.BadRequestException(400, "invalid_text", field, (field == null ? "the body" : field)
          + " is not valid UTF-8 (an overlong or broken byte sequence): send the text encoded as UTF-8");
    }
  }

  /** A noncharacter: in place of each malformed sequence, to find the field it was in. */
  private static final char NOT_UTF8 = '\uFFFF';

  private static String marked(byte[] body) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE).replaceWith(String.valueOf(NOT_UTF8))
          .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("a decoder that replaces reported", e);
    }
  }

  /** The field whose key or text holds {@link #NOT_UTF8}, where the malformed bytes were; null when the body says no field. */
  private String fieldHolding(String text) {
    try {
      return fieldHolding(mapper.readTree(text), "");
    } catch (IOException | RuntimeException e) {
      return null; // the bytes broke the JSON too: no field to name
    }
  }

  private static String fieldHolding(JsonNode node, String path) {
    if (node.isTextual() && node.textValue().indexOf(NOT_UTF8) >= 0) {
      return path.isEmpty() ? null : path;
    }
    for (int i = 0; node.isArray() && i < node.size(); i++) {
      String found = fieldHolding(node.get(i), path + "[" + i + "]");
      if (found != null) {
        return found;
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
      String found = field.getKey().indexOf(NOT_UTF8) >= 0 ? at : fieldHolding(field.getValue(), at);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** Where the first surrogate without its partner is, or -1. */
  private static int unpairedSurrogateAt(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  private static Json.BadRequestException tooLarge() {
    return new Json.BadRequestException(413, "the request body is larger than " + MAX_BODY_BYTES / 1024 + " KiB");
  }

  private static ObjectMapper strictMapper() {
    JsonFactory factory = JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).maxStringLength(MAX_BODY_BYTES).build())
        .build();
    return JsonMapper.builder(factory)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
            DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        // every scalar only from its own JSON type: no "5" for 5, no 1 for true, no 1.0 for 1, no "" for null
        .withCoercionConfigDefaults(c -> c.setAcceptBlankAsEmpty(false)
            .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
        // Jackson writes numbers and booleans into String fields unless told not to
        .withCoercionConfig(LogicalType.Textual, c -> c
            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
        .build();
  }
}
