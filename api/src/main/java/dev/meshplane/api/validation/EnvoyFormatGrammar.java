package dev.meshplane.api.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Envoy's substitution format strings (access log text formats and each value of a JSON format), checked as Envoy
 * parses them when it loads a listener, so a format Envoy would refuse is refused at the API instead of taking the
 * proxy's listeners down. The rules and the command table are read from Envoy's
 * {@code source/common/formatter/substitution_formatter.cc} ({@code SubstitutionFormatParser::parse},
 * {@code getKnownFormatters}, {@code StreamInfoFormatter::getKnownFieldExtractors}) and
 * {@code substitution_format_utility.cc} ({@code CommandSyntaxChecker::verifySyntax}). The table is Envoy 1.24's;
 * later versions keep every command in it and only add more, so what it accepts every supported Envoy accepts.
 */
public final class EnvoyFormatGrammar {

    /** How a command may be written: {@code verifySyntax}'s flags. */
    enum Syntax {
        /** {@code COMMAND_ONLY}: "X does not take any parameters or length". */
        COMMAND_ONLY(false, false, false),
        /** {@code PARAMS_OPTIONAL}, no length. */
        PARAMS_OPTIONAL(false, true, false),
        /** {@code PARAMS_REQUIRED}, no length ("X requires parameters"). */
        PARAMS_REQUIRED(true, true, false),
        /** {@code PARAMS_REQUIRED | LENGTH_ALLOWED}. */
        PARAMS_REQUIRED_LENGTH(true, true, true),
        /** {@code PARAMS_OPTIONAL | LENGTH_ALLOWED}. */
        PARAMS_OPTIONAL_LENGTH(false, true, true);

        final boolean paramsRequired;
        final boolean paramsAllowed;
        final boolean lengthAllowed;

        Syntax(boolean paramsRequired, boolean paramsAllowed, boolean lengthAllowed) {
            this.paramsRequired = paramsRequired;
            this.paramsAllowed = paramsAllowed;
            this.lengthAllowed = lengthAllowed;
        }
    }

    private static final List<String> STREAM_INFO_COMMANDS = List.of(
            "REQUEST_DURATION", "REQUEST_TX_DURATION", "RESPONSE_DURATION", "RESPONSE_TX_DURATION",
            "DOWNSTREAM_HANDSHAKE_DURATION", "BYTES_RECEIVED", "UPSTREAM_WIRE_BYTES_RECEIVED",
            "UPSTREAM_HEADER_BYTES_RECEIVED", "DOWNSTREAM_WIRE_BYTES_RECEIVED", "DOWNSTREAM_HEADER_BYTES_RECEIVED",
            "PROTOCOL", "UPSTREAM_PROTOCOL", "RESPONSE_CODE", "RESPONSE_CODE_DETAILS", "CONNECTION_TERMINATION_DETAILS",
            "BYTES_SENT", "UPSTREAM_WIRE_BYTES_SENT", "UPSTREAM_HEADER_BYTES_SENT", "DOWNSTREAM_WIRE_BYTES_SENT",
            "DOWNSTREAM_HEADER_BYTES_SENT", "DURATION", "RESPONSE_FLAGS", "UPSTREAM_HOST", "UPSTREAM_CLUSTER",
            "UPSTREAM_LOCAL_ADDRESS", "UPSTREAM_LOCAL_ADDRESS_WITHOUT_PORT", "UPSTREAM_LOCAL_PORT",
            "UPSTREAM_REMOTE_ADDRESS", "UPSTREAM_REMOTE_ADDRESS_WITHOUT_PORT", "UPSTREAM_REMOTE_PORT",
            "UPSTREAM_REQUEST_ATTEMPT_COUNT", "UPSTREAM_TLS_CIPHER", "UPSTREAM_TLS_VERSION", "UPSTREAM_TLS_SESSION_ID",
            "UPSTREAM_PEER_ISSUER", "UPSTREAM_PEER_CERT", "UPSTREAM_PEER_SUBJECT", "DOWNSTREAM_LOCAL_ADDRESS",
            "DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT", "DOWNSTREAM_LOCAL_PORT", "DOWNSTREAM_REMOTE_ADDRESS",
            "DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT", "DOWNSTREAM_REMOTE_PORT", "DOWNSTREAM_DIRECT_REMOTE_ADDRESS",
            "DOWNSTREAM_DIRECT_REMOTE_ADDRESS_WITHOUT_PORT", "DOWNSTREAM_DIRECT_REMOTE_PORT", "CONNECTION_ID",
            "REQUESTED_SERVER_NAME", "ROUTE_NAME", "DOWNSTREAM_PEER_URI_SAN", "DOWNSTREAM_LOCAL_URI_SAN",
            "DOWNSTREAM_PEER_SUBJECT", "DOWNSTREAM_LOCAL_SUBJECT", "DOWNSTREAM_TLS_SESSION_ID", "DOWNSTREAM_TLS_CIPHER",
            "DOWNSTREAM_TLS_VERSION", "DOWNSTREAM_PEER_FINGERPRINT_256", "DOWNSTREAM_PEER_FINGERPRINT_1",
            "DOWNSTREAM_PEER_SERIAL", "DOWNSTREAM_PEER_ISSUER", "DOWNSTREAM_PEER_CERT",
            "UPSTREAM_TRANSPORT_FAILURE_REASON", "HOSTNAME", "FILTER_CHAIN_NAME", "VIRTUAL_CLUSTER_NAME",
            "TLS_JA3_FINGERPRINT", "STREAM_ID");

    /** Every command Envoy knows, with how it may be written. */
    static final Map<String, Syntax> COMMANDS = commands();

    private static Map<String, Syntax> commands() {
        Map<String, Syntax> commands = new java.util.TreeMap<>();
        STREAM_INFO_COMMANDS.forEach(c -> commands.put(c, Syntax.COMMAND_ONLY));
        // getKnownFormatters: the commands with parameters
        for (String c : List.of("REQ", "RESP", "TRAILER", "ENVIRONMENT")) {
            commands.put(c, Syntax.PARAMS_REQUIRED_LENGTH);
        }
        for (String c : List.of("LOCAL_REPLY_BODY", "GRPC_STATUS_NUMBER", "REQUEST_HEADERS_BYTES",
                "RESPONSE_HEADERS_BYTES", "RESPONSE_TRAILERS_BYTES")) {
            commands.put(c, Syntax.COMMAND_ONLY);
        }
        for (String c : List.of("GRPC_STATUS", "START_TIME", "DOWNSTREAM_PEER_CERT_V_START", "DOWNSTREAM_PEER_CERT_V_END",
                "UPSTREAM_PEER_CERT_V_START", "UPSTREAM_PEER_CERT_V_END")) {
            commands.put(c, Syntax.PARAMS_OPTIONAL);
        }
        for (String c : List.of("DYNAMIC_METADATA", "CLUSTER_METADATA", "UPSTREAM_METADATA")) {
            commands.put(c, Syntax.PARAMS_REQUIRED);
        }
        commands.put("FILTER_STATE", Syntax.PARAMS_OPTIONAL_LENGTH);
        commands.put("UPSTREAM_FILTER_STATE", Syntax.PARAMS_OPTIONAL_LENGTH);
        return java.util.Collections.unmodifiableMap(commands);
    }

    /** SubstitutionFormatParser::parse's command_w_args_regex: %COMMAND(SUBCOMMAND):LENGTH%. */
    private static final Pattern COMMAND = Pattern.compile("%([A-Z0-9_]+)(?:\\(([^)]*)\\))?(?::([0-9]+))?%");

    /** Http::HeaderUtility::headerNameIsValid on the lower-cased name: a token, or a pseudo-header. */
    private static final Pattern HEADER = Pattern.compile(":?[0-9a-z!#$%&'*+\\-.^_`|~]+");

    /** GrpcStatusFormatter::parseFormat's accepted formats. */
    private static final Set<String> GRPC_STATUS_FORMATS = Set.of("CAMEL_STRING", "SNAKE_STRING", "NUMBER");

    /** A strftime newline: SystemTimeFormatter refuses it ("Format string contains newline"). */
    private static final Pattern TIME_NEWLINE = Pattern.compile("%[-_0^#]*[1-9]*(E|O)?n");

    private EnvoyFormatGrammar() {
    }

    /**
     * The problems Envoy would find in one format string, each naming the command and what is wrong; empty when
     * Envoy accepts it. {@code %%} is a literal percent sign.
     */
    public static List<String> problems(String format) {
        List<String> problems = new ArrayList<>();
        Matcher matcher = COMMAND.matcher(format);
        for (int pos = 0; pos < format.length(); pos++) {
            if (format.charAt(pos) != '%') {
                continue;
            }
            if (pos + 1 < format.length() && format.charAt(pos + 1) == '%') {
                pos++;
                continue;
            }
            matcher.region(pos, format.length());
            if (!matcher.lookingAt()) {
                problems.add("no valid command at position " + pos + " ('" + excerpt(format, pos)
                        + "'); a command is %NAME%, %NAME(arguments)% or %NAME(arguments):length%, and %% writes a '%'");
                return problems;
            }
            command(matcher.group(0), matcher.group(1), matcher.group(2), matcher.group(3), problems);
            pos = matcher.end() - 1;
        }
        return problems;
    }

    private static void command(String token, String name, String params, String length, List<String> problems) {
        Syntax syntax = COMMANDS.get(name);
        if (syntax == null) {
            problems.add(token + ": Envoy has no command " + name + " (for example DURATION, RESPONSE_CODE, START_TIME,"
                    + " REQ(header), RESP(header))");
            return;
        }
        boolean hasParams = params != null && !params.isEmpty();
        if (!syntax.paramsAllowed && (params != null || length != null)) {
            problems.add(token + ": " + name + " takes no arguments or length");
            return;
        }
        if (syntax.paramsRequired && !hasParams) {
            problems.add(token + ": " + name + " needs arguments, as in %" + name + "(...)%");
            return;
        }
        if (length != null && !syntax.lengthAllowed) {
            problems.add(token + ": " + name + " takes no length");
        }
        if (length != null && length.length() > 18) {
            problems.add(token + ": the length " + length + " is too large");
        }
        switch (name) {
            case "REQ", "RESP", "TRAILER" -> headers(token, params, problems);
            case "GRPC_STATUS" -> {
                if (hasParams && !GRPC_STATUS_FORMATS.contains(params)) {
                    problems.add(token + ": GRPC_STATUS takes one of " + new java.util.TreeSet<>(GRPC_STATUS_FORMATS));
                }
            }
            case "START_TIME", "DOWNSTREAM_PEER_CERT_V_START", "DOWNSTREAM_PEER_CERT_V_END", "UPSTREAM_PEER_CERT_V_START",
                    "UPSTREAM_PEER_CERT_V_END" -> {
                if (hasParams && TIME_NEWLINE.matcher(params).find()) {
                    problems.add(token + ": a time format must not contain a newline (%n)");
                }
            }
            default -> {
            }
        }
    }

    /** parseSubcommandHeaders: one header, or a header and one alternative after '?', each a valid header name. */
    private static void headers(String token, String params, List<String> problems) {
        String[] names = params.split("\\?", -1);
        if (names.length > 2) {
            problems.add(token + ": more than one alternative header (one '?' at most)");
            return;
        }
        for (String header : names) {
            if (!HEADER.matcher(header.toLowerCase(Locale.ROOT)).matches()) {
                problems.add(token + ": '" + header + "' is not a valid header name");
            }
        }
    }

    private static String excerpt(String format, int pos) {
        return format.substring(pos, Math.min(format.length(), pos + 20));
    }
}
