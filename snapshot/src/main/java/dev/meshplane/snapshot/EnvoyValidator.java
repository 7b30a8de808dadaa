package dev.meshplane.snapshot;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.Durations;
import io.envoyproxy.pgv.validate.Validate;
import io.envoyproxy.pgv.validate.Validate.FieldRules;
import io.envoyproxy.pgv.validate.Validate.StringRules;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks Envoy resources against the protoc-gen-validate rules that Envoy's own protos carry
 * ({@code (validate.rules)}, {@code (validate.required)} on oneofs), read from the descriptors at run
 * time, recursing into nested messages and into {@code Any} of the types the translators pack. Envoy
 * rejects a whole update for one invalid resource; checking first keeps a bad resource from ever
 * being pushed. Rule kinds Envoy's resources do not use here (timestamps, e-mail, URI) are not checked.
 */
public final class EnvoyValidator {

    private static final Pattern HEADER_NAME = Pattern.compile("^:?[0-9a-zA-Z!#$%&'*+\\-.^_|~`]+$");
    private static final Pattern HEADER_VALUE = Pattern.compile("^[^\\u0000-\\u0008\\u000A-\\u001F\\u007F]*$");
    private static final Pattern LOOSE_HEADER = Pattern.compile("^[^\\u0000\\u000A\\u000D]*$");

    /** Messages already found valid, by instance: translation shares them between proxies. */
    public interface KnownValid {
        boolean contains(Message message);

        void add(Message message);
    }

    private static final KnownValid NONE = new KnownValid() {
        @Override
        public boolean contains(Message message) {
            return false;
        }

        @Override
        public void add(Message message) {
        }
    };

    private static final FieldRules NO_RULES = FieldRules.getDefaultInstance();
    /** Each field's rules, read once from its options. */
    private static final java.util.concurrent.ConcurrentHashMap<FieldDescriptor, FieldRules> RULES =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Whether a message type, or anything it contains, carries any rule; most of Envoy's do not. */
    private static final java.util.concurrent.ConcurrentHashMap<Descriptor, Boolean> NEEDS_CHECK =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final List<String> violations = new ArrayList<>();
    private final KnownValid known;

    private EnvoyValidator(KnownValid known) {
        this.known = known;
    }

    /** The violations of one resource, each as {@code <field path>: <what is wrong>}; empty when valid. */
    public static List<String> validate(Message resource) {
        return validate(resource, NONE);
    }

    /**
     * The same, skipping (and remembering) messages known to be valid; then the config-load checks
     * Envoy's C++ applies to the resource as a whole ({@link EnvoyLoadRules}).
     */
    public static List<String> validate(Message resource, KnownValid known) {
        EnvoyValidator validator = new EnvoyValidator(known);
        validator.message(resource, resource.getDescriptorForType().getName());
        EnvoyLoadRules.check(resource, validator.violations);
        return validator.violations;
    }

    /** The violations of every resource of a proxy, prefixed with the resource's name, and across them ({@link #validateReferences}). */
    public static List<String> validate(ProxyResources resources) {
        List<String> all = new ArrayList<>();
        resources.clusters().forEach(c -> prefix(all, "cluster " + c.getName(), validate(c)));
        resources.endpoints().forEach(e -> prefix(all, "endpoints " + e.getClusterName(), validate(e)));
        resources.listeners().forEach(l -> prefix(all, "listener " + l.getName(), validate(l)));
        resources.routes().forEach(r -> prefix(all, "route configuration " + r.getName(), validate(r)));
        all.addAll(validateReferences(resources));
        return all;
    }

    /**
     * What Envoy checks across one proxy's resources when it loads them: each tracer's collector cluster is among its
     * clusters ({@link EnvoyLoadRules}). Empty when nothing is wrong; each violation names the listener.
     */
    public static List<String> validateReferences(ProxyResources resources) {
        List<String> violations = new ArrayList<>();
        java.util.Set<String> clusters = new HashSet<>();
        resources.clusters().forEach(c -> clusters.add(c.getName()));
        EnvoyLoadRules.tracerClusters(resources.listeners(), clusters, violations);
        return violations;
    }

    private static void prefix(List<String> all, String what, List<String> violations) {
        violations.forEach(v -> all.add(what + ": " + v));
    }

    private void fail(String path, String message) {
        violations.add(path + ": " + message);
    }

    private static FieldRules rules(FieldDescriptor field) {
        return RULES.computeIfAbsent(field, f -> f.getOptions().hasExtension(Validate.rules)
                ? f.getOptions().getExtension(Validate.rules) : NO_RULES);
    }

    private static boolean needsCheck(Descriptor type) {
        Boolean known = NEEDS_CHECK.get(type);
        if (known != null) {
            return known;
        }
        boolean needs = needsCheck(type, new java.util.HashSet<>());
        NEEDS_CHECK.put(type, needs);
        return needs;
    }

    private static boolean needsCheck(Descriptor type, Set<Descriptor> visiting) {
        if (type.getFullName().equals("google.protobuf.Any") || type.getFullName().equals("google.protobuf.Duration")
                || !visiting.add(type)) {
            return true;
        }
        for (OneofDescriptor oneof : type.getRealOneofs()) {
            if (oneof.getOptions().getExtension(Validate.required)) {
                return true;
            }
        }
        for (FieldDescriptor field : type.getFields()) {
            if (rules(field) != NO_RULES) {
                return true;
            }
            if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && needsCheck(field.getMessageType(), visiting)) {
                return true;
            }
        }
        return false;
    }

    private void message(Message message, String path) {
        if (known.contains(message) || !needsCheck(message.getDescriptorForType())) {
            return;
        }
        int before = violations.size();
        checkMessage(message, path);
        if (violations.size() == before) {
            known.add(message);
        }
    }

    private void checkMessage(Message message, String path) {
        Descriptor type = message.getDescriptorForType();
        if (type.getOptions().getExtension(Validate.disabled) || type.getOptions().getExtension(Validate.ignored)) {
            return;
        }
        if (message instanceof Any any) {
            unpacked(any, path);
            return;
        }
        for (OneofDescriptor oneof : type.getRealOneofs()) {
            if (oneof.getOptions().getExtension(Validate.required) && !message.hasOneof(oneof)) {
                fail(path + "." + oneof.getName(), "one of its fields must be set");
            }
        }
        for (FieldDescriptor field : type.getFields()) {
            FieldRules rules = rules(field);
            if (rules == NO_RULES) {
                if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE || !needsCheck(field.getMessageType())) {
                    continue;
                }
                rules = null;
            }
            String fieldPath = path + "." + field.getName();
            if (field.isMapField()) {
                map(message, field, rules, fieldPath);
            } else if (field.isRepeated()) {
                repeated(message, field, rules, fieldPath);
            } else if (field.getRealContainingOneof() != null && !message.hasField(field)) {
                continue;
            } else {
                single(field, message.hasField(field) || field.getJavaType() != FieldDescriptor.JavaType.MESSAGE,
                        message.getField(field), rules, fieldPath);
            }
        }
    }

    private void unpacked(Any any, String path) {
        try {
            Message prototype = EnvoyTypes.BY_TYPE_URL.get(any.getTypeUrl());
            if (prototype == null) {
                return;
            }
            message(prototype.getParserForType().parseFrom(any.getValue()),
                    path + "[" + prototype.getDescriptorForType().getName() + "]");
        } catch (InvalidProtocolBufferException e) {
            fail(path, "does not decode as " + any.getTypeUrl());
        }
    }

    private void map(Message message, FieldDescriptor field, FieldRules rules, String path) {
        int count = message.getRepeatedFieldCount(field);
        if (rules != null && rules.hasMap()) {
            var map = rules.getMap();
            if (!(map.getIgnoreEmpty() && count == 0)) {
                if (map.hasMinPairs() && count < map.getMinPairs()) {
                    fail(path, "needs at least " + map.getMinPairs() + " entries, has " + count);
                }
                if (map.hasMaxPairs() && count > map.getMaxPairs()) {
                    fail(path, "allows at most " + map.getMaxPairs() + " entries, has " + count);
                }
            }
        }
        FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
        for (int i = 0; i < count; i++) {
            Message entry = (Message) message.getRepeatedField(field, i);
            Object key = entry.getField(field.getMessageType().findFieldByName("key"));
            FieldRules valueRules = rules != null && rules.hasMap() && rules.getMap().hasValues() ? rules.getMap().getValues() : null;
            single(valueField, true, entry.getField(valueField), valueRules, path + "[" + key + "]");
        }
    }

    private void repeated(Message message, FieldDescriptor field, FieldRules rules, String path) {
        int count = message.getRepeatedFieldCount(field);
        FieldRules items = null;
        if (rules != null && rules.hasRepeated()) {
            var repeated = rules.getRepeated();
            if (!(repeated.getIgnoreEmpty() && count == 0)) {
                if (repeated.hasMinItems() && count < repeated.getMinItems()) {
                    fail(path, "needs at least " + repeated.getMinItems() + " items, has " + count);
                }
                if (repeated.hasMaxItems() && count > repeated.getMaxItems()) {
                    fail(path, "allows at most " + repeated.getMaxItems() + " items, has " + count);
                }
                if (repeated.getUnique()) {
                    Set<Object> seen = new HashSet<>();
                    for (int i = 0; i < count; i++) {
                        if (!seen.add(message.getRepeatedField(field, i))) {
                            fail(path, "items must be unique");
                            break;
                        }
                    }
                }
            }
            items = repeated.hasItems() ? repeated.getItems() : null;
        }
        for (int i = 0; i < count; i++) {
            single(field, true, message.getRepeatedField(field, i), items, path + "[" + i + "]");
        }
    }

    /** One value of a field: a scalar, an enum, or a message (well-known wrappers take their scalar rules). */
    private void single(FieldDescriptor field, boolean set, Object value, FieldRules rules, String path) {
        if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            Message nested = (Message) value;
            String typeName = field.getMessageType().getFullName();
            if (rules != null && rules.hasMessage() && rules.getMessage().getRequired() && !set) {
                fail(path, "is required");
            }
            if (!set) {
                if (rules != null && rules.hasDuration() && rules.getDuration().getRequired()) {
                    fail(path, "is required");
                }
                if (rules != null && rules.hasAny() && rules.getAny().getRequired()) {
                    fail(path, "is required");
                }
                return;
            }
            if (typeName.startsWith("google.protobuf.") && typeName.endsWith("Value") && rules != null) {
                scalar(nested.getField(nested.getDescriptorForType().findFieldByName("value")), rules, path);
                return;
            }
            if (nested instanceof Duration duration) {
                if (!Durations.isValid(duration)) {
                    fail(path, "is not a valid duration (at most about 10,000 years)");
                } else if (rules != null && rules.hasDuration()) {
                    duration(duration, rules.getDuration(), path);
                }
            }
            if (nested instanceof Any any && rules != null && rules.hasAny() && rules.getAny().getInCount() > 0
                    && !rules.getAny().getInList().contains(any.getTypeUrl())) {
                fail(path, "type " + any.getTypeUrl() + " is not one of " + rules.getAny().getInList());
            }
            if (!(rules != null && rules.hasMessage() && rules.getMessage().getSkip())) {
                message(nested, path);
            }
            return;
        }
        if (field.getJavaType() == FieldDescriptor.JavaType.ENUM) {
            enumValue((EnumValueDescriptor) value, rules, path);
            return;
        }
        if (rules != null) {
            scalar(value, rules, path);
        }
    }

    private void enumValue(EnumValueDescriptor value, FieldRules rules, String path) {
        if (rules == null || !rules.hasEnum()) {
            return;
        }
        var enumRules = rules.getEnum();
        if (enumRules.getDefinedOnly() && value.getIndex() < 0) {
            fail(path, "value " + value.getNumber() + " is not defined");
        }
        if (enumRules.getInCount() > 0 && !enumRules.getInList().contains(value.getNumber())) {
            fail(path, "must be one of " + enumRules.getInList());
        }
        if (enumRules.getNotInList().contains(value.getNumber())) {
            fail(path, "must not be one of " + enumRules.getNotInList());
        }
    }

    private void scalar(Object value, FieldRules rules, String path) {
        if (rules.hasString() && value instanceof String string) {
            string(string, rules.getString(), path);
            return;
        }
        if (value instanceof Number number) {
            Message numeric = numericRules(rules);
            if (numeric != null) {
                numeric(new BigDecimal(number.toString()), numeric, path);
            }
        }
    }

    /** The rules of whichever numeric kind is set (int32, uint32, double, ...): they share field names. */
    private static Message numericRules(FieldRules rules) {
        for (Object value : rules.getAllFields().values()) {
            if (value instanceof Message m && m.getDescriptorForType().findFieldByName("gte") != null
                    && m.getDescriptorForType().findFieldByName("const") != null) {
                return m;
            }
        }
        return null;
    }

    private void numeric(BigDecimal value, Message rules, String path) {
        Descriptor type = rules.getDescriptorForType();
        FieldDescriptor ignoreEmpty = type.findFieldByName("ignore_empty");
        if (ignoreEmpty != null && (Boolean) rules.getField(ignoreEmpty) && value.signum() == 0) {
            return;
        }
        compare(value, rules, "const", c -> c == 0, "must equal", path);
        compare(value, rules, "gt", c -> c > 0, "must be greater than", path);
        compare(value, rules, "gte", c -> c >= 0, "must be at least", path);
        compare(value, rules, "lt", c -> c < 0, "must be less than", path);
        compare(value, rules, "lte", c -> c <= 0, "must be at most", path);
        FieldDescriptor in = type.findFieldByName("in");
        if (in != null && rules.getRepeatedFieldCount(in) > 0) {
            boolean found = false;
            for (int i = 0; i < rules.getRepeatedFieldCount(in); i++) {
                found |= new BigDecimal(rules.getRepeatedField(in, i).toString()).compareTo(value) == 0;
            }
            if (!found) {
                fail(path, value + " is not one of the allowed values");
            }
        }
    }

    private void compare(BigDecimal value, Message rules, String name, java.util.function.IntPredicate ok, String words,
            String path) {
        FieldDescriptor bound = rules.getDescriptorForType().findFieldByName(name);
        if (bound != null && rules.hasField(bound)) {
            BigDecimal limit = new BigDecimal(rules.getField(bound).toString());
            if (!ok.test(value.compareTo(limit))) {
                fail(path, words + " " + limit + ", is " + value);
            }
        }
    }

    private void duration(Duration value, Validate.DurationRules rules, String path) {
        if (rules.hasGt() && Durations.compare(value, rules.getGt()) <= 0) {
            fail(path, "must be longer than " + Durations.toString(rules.getGt()));
        }
        if (rules.hasGte() && Durations.compare(value, rules.getGte()) < 0) {
            fail(path, "must be at least " + Durations.toString(rules.getGte()));
        }
        if (rules.hasLt() && Durations.compare(value, rules.getLt()) >= 0) {
            fail(path, "must be shorter than " + Durations.toString(rules.getLt()));
        }
        if (rules.hasLte() && Durations.compare(value, rules.getLte()) > 0) {
            fail(path, "must be at most " + Durations.toString(rules.getLte()));
        }
    }

    private void string(String value, StringRules rules, String path) {
        if (rules.getIgnoreEmpty() && value.isEmpty()) {
            return;
        }
        int chars = value.codePointCount(0, value.length());
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (rules.hasConst() && !value.equals(rules.getConst())) {
            fail(path, "must be '" + rules.getConst() + "'");
        }
        if (rules.hasLen() && chars != rules.getLen()) {
            fail(path, "must be " + rules.getLen() + " characters long");
        }
        if (rules.hasMinLen() && chars < rules.getMinLen()) {
            fail(path, "must be at least " + rules.getMinLen() + " characters long");
        }
        if (rules.hasMaxLen() && chars > rules.getMaxLen()) {
            fail(path, "must be at most " + rules.getMaxLen() + " characters long");
        }
        if (rules.hasMinBytes() && bytes < rules.getMinBytes()) {
            fail(path, "must be at least " + rules.getMinBytes() + " bytes long");
        }
        if (rules.hasMaxBytes() && bytes > rules.getMaxBytes()) {
            fail(path, "must be at most " + rules.getMaxBytes() + " bytes long");
        }
        if (rules.hasPrefix() && !value.startsWith(rules.getPrefix())) {
            fail(path, "must start with '" + rules.getPrefix() + "'");
        }
        if (rules.hasSuffix() && !value.endsWith(rules.getSuffix())) {
            fail(path, "must end with '" + rules.getSuffix() + "'");
        }
        if (rules.hasContains() && !value.contains(rules.getContains())) {
            fail(path, "must contain '" + rules.getContains() + "'");
        }
        if (rules.hasNotContains() && value.contains(rules.getNotContains())) {
            fail(path, "must not contain '" + rules.getNotContains() + "'");
        }
        if (rules.getInCount() > 0 && !rules.getInList().contains(value)) {
            fail(path, "must be one of " + rules.getInList());
        }
        if (rules.getNotInList().contains(value)) {
            fail(path, "must not be one of " + rules.getNotInList());
        }
        if (rules.hasPattern() && !Pattern.compile(rules.getPattern()).matcher(value).find()) {
            fail(path, "must match " + rules.getPattern());
        }
        if (rules.hasWellKnownRegex()) {
            boolean strict = !rules.hasStrict() || rules.getStrict();
            Pattern pattern = switch (rules.getWellKnownRegex()) {
                case HTTP_HEADER_NAME -> strict ? HEADER_NAME : LOOSE_HEADER;
                case HTTP_HEADER_VALUE -> strict ? HEADER_VALUE : LOOSE_HEADER;
                default -> null;
            };
            if (pattern != null && !pattern.matcher(value).matches()) {
                fail(path, "is not a valid HTTP header " + (rules.getWellKnownRegex() == Validate.KnownRegex.HTTP_HEADER_NAME
                        ? "name" : "value"));
            }
        }
    }
}
