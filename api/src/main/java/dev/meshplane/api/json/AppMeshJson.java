package dev.meshplane.api.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * JSON as App Mesh's restJson1 protocol writes it: members omitted when absent, timestamps as
 * epoch seconds, and a strict reader that refuses unknown members, type coercions and hostile input.
 */
public final class AppMeshJson {

    /** Deepest nesting accepted in a request body; the deepest App Mesh spec nests about 10 levels. */
    public static final int MAX_NESTING_DEPTH = 64;
    /** Longest string accepted anywhere in a request body; the longest modelled string is 1,024. */
    public static final int MAX_STRING_LENGTH = 65_536;

    private static final JsonMapper MAPPER = configure(JsonMapper.builder(jsonFactory())).build();

    private AppMeshJson() {
    }

    /** The shared, strictly configured mapper. */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    /** A factory whose parser limits nesting and string sizes. */
    public static JsonFactory jsonFactory() {
        return JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .maxNumberLength(64)
                        .build())
                .build();
    }

    /**
     * Applies Meshplane's settings to a mapper builder (also used for Spring MVC's own mapper, so every
     * JSON body the server reads gets the same rules). A member given twice in one object is refused
     * rather than the last one winning: {@code "role":"viewer","role":"admin"} must not read as admin.
     */
    public static JsonMapper.Builder configure(JsonMapper.Builder builder) {
        SimpleModule timestamps = new SimpleModule("epoch-seconds");
        timestamps.addSerializer(Instant.class, new EpochSecondsSerializer());
        timestamps.addDeserializer(Instant.class, new EpochSecondsDeserializer());
        return builder
                .addModule(timestamps)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .changeDefaultPropertyInclusion(incl -> incl
                        .withValueInclusion(JsonInclude.Include.NON_NULL)
                        .withContentInclusion(JsonInclude.Include.NON_NULL))
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                // a number or boolean where a string belongs is a mistake, not something to convert
                .withCoercionConfig(LogicalType.Textual, cfg -> cfg
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }

    /** Writes an instant as seconds since the epoch with millisecond precision, as AWS SDKs expect. */
    static final class EpochSecondsSerializer extends ValueSerializer<Instant> {
        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializationContext ctxt) {
            gen.writeNumber(BigDecimal.valueOf(value.toEpochMilli(), 3));
        }
    }

    /** Reads seconds since the epoch, whole or fractional. */
    static final class EpochSecondsDeserializer extends ValueDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT && p.currentToken() != JsonToken.VALUE_NUMBER_FLOAT) {
                return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
            }
            BigDecimal seconds = p.getDecimalValue();
            return Instant.ofEpochMilli(seconds.movePointRight(3).longValue());
        }
    }
}
