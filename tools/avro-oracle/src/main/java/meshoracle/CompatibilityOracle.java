package meshoracle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * Reads reader/writer schema pairs ([{"id", "reader", "writer"}], schemas as JSON values) and
 * writes, for each, what org.apache.avro.SchemaCompatibility.checkReaderWriterCompatibility
 * says: the compatibility type and every incompatibility's type, location and message. A
 * schema Java refuses to parse is recorded as such, with the parser's message.
 *
 * Usage: java meshoracle.CompatibilityOracle pairs-in.json verdicts-out.json
 */
public final class CompatibilityOracle {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    JsonNode pairs = JSON.readTree(new File(args[0]));
    ArrayNode results = JSON.createArrayNode();
    for (JsonNode pair : pairs) {
      results.add(verdict(pair));
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("avroVersion", Schema.class.getPackage().getImplementationVersion());
    out.set("results", results);
    JSON.writerWithDefaultPrettyPrinter().writeValue(new File(args[1]), out);
  }

  private static ObjectNode verdict(JsonNode pair) throws Exception {
    ObjectNode result = JSON.createObjectNode();
    result.put("id", pair.get("id").asText());
    Schema reader;
    Schema writer;
    try {
      reader = new Schema.Parser().parse(JSON.writeValueAsString(pair.get("reader")));
    } catch (RuntimeException e) {
      result.put("readerParseError", e.getMessage());
      return result;
    }
    try {
      writer = new Schema.Parser().parse(JSON.writeValueAsString(pair.get("writer")));
    } catch (RuntimeException e) {
      result.put("writerParseError", e.getMessage());
      return result;
    }
    try {
      SchemaCompatibility.SchemaPairCompatibility compatibility =
          SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
      result.put("compatibility", compatibility.getType().name());
      ArrayNode incompatibilities = result.putArray("incompatibilities");
      for (SchemaCompatibility.Incompatibility incompatibility : compatibility.getResult().getIncompatibilities()) {
        ObjectNode item = incompatibilities.addObject();
        item.put("type", incompatibility.getType().name());
        item.put("location", incompatibility.getLocation());
        item.put("message", incompatibility.getMessage());
      }
    } catch (RuntimeException e) {
      result.put("checkError", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    return result;
  }

  private CompatibilityOracle() {}
}
