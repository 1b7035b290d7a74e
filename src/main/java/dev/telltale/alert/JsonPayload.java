package dev.telltale.alert;

import java.io.StringWriter;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;

/** The JSON object carried in a record's data field, in compact printable-ASCII form. */
public final class JsonPayload {
  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

  private JsonPayload() {}

  /**
   * Rewrites a JSON object without whitespace between tokens and with every non-ASCII character
   * escaped, so that it fits on one line of printable ASCII.
   *
   * @throws IllegalArgumentException if the text is not exactly one JSON object
   */
  static String canonical(String json) {
    StringWriter out = new StringWriter();
    try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), json);
        JsonGenerator generator = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("event payload is not a JSON object");
      }
      generator.copyCurrentStructure(parser);
      if (parser.nextToken() != null) {
        throw new IllegalArgumentException("event payload has text after its JSON object");
      }
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "event payload is not valid JSON: " + e.getOriginalMessage());
    }
    return out.toString();
  }

  /** Returns null if the text is exactly one JSON object, or else a description of the defect. */
  static String validate(String json) {
    try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return "not a JSON object";
      }
      parser.skipChildren();
      if (parser.nextToken() != null) {
        return "text after the JSON object";
      }
      return null;
    } catch (JacksonException e) {
      return "not valid JSON: " + e.getOriginalMessage();
    }
  }

  /** Writes a JSON string literal, escaped the same way as payloads. */
  public static String quote(String text) {
    StringWriter out = new StringWriter();
    try (JsonGenerator generator = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
      generator.writeString(text);
    }
    return out.toString();
  }
}
