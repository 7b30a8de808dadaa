package dev.meshplane.snapshot;

import dev.meshplane.api.model.GrpcRouteMatch;
import dev.meshplane.api.model.GrpcRouteMetadata;
import dev.meshplane.api.model.HeaderMatchMethod;
import dev.meshplane.api.model.HttpQueryParameter;
import dev.meshplane.api.model.HttpRouteHeader;
import dev.meshplane.api.model.HttpRouteMatch;
import dev.meshplane.api.model.MatchRange;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.v3.Int64Range;

/**
 * App Mesh route matches as Envoy route matches: prefix or path (exact or regex), headers with
 * exact, prefix, suffix, regex or range and inversion, query parameters, method and scheme (as the
 * :method and :scheme pseudo-headers); for gRPC, service and method name as the path, metadata as headers.
 */
final class RouteMatchTranslator {

    private RouteMatchTranslator() {
    }

    static RouteMatch translate(Object match) {
        if (match instanceof HttpRouteMatch http) {
            return http(http);
        }
        if (match instanceof GrpcRouteMatch grpc) {
            return grpc(grpc);
        }
        return RouteMatch.newBuilder().setPrefix("/").build();
    }

    private static RouteMatch http(HttpRouteMatch match) {
        RouteMatch.Builder builder = RouteMatch.newBuilder();
        if (match.path() != null && match.path().exact() != null) {
            builder.setPath(match.path().exact());
        } else if (match.path() != null && match.path().regex() != null) {
            builder.setSafeRegex(regex(match.path().regex()));
        } else {
            builder.setPrefix(match.prefix() == null ? "/" : match.prefix());
        }
        if (match.headers() != null) {
            for (HttpRouteHeader header : match.headers()) {
                builder.addHeaders(header(header.name(), header.match(), Boolean.TRUE.equals(header.invert())));
            }
        }
        if (match.method() != null) {
            builder.addHeaders(exactHeader(":method", match.method().wireValue()));
        }
        if (match.scheme() != null) {
            builder.addHeaders(exactHeader(":scheme", match.scheme().wireValue()));
        }
        if (match.queryParameters() != null) {
            for (HttpQueryParameter parameter : match.queryParameters()) {
                QueryParameterMatcher.Builder query = QueryParameterMatcher.newBuilder().setName(parameter.name());
                if (parameter.match() != null && parameter.match().exact() != null) {
                    query.setStringMatch(StringMatcher.newBuilder().setExact(parameter.match().exact()));
                } else {
                    query.setPresentMatch(true);
                }
                builder.addQueryParameters(query);
            }
        }
        return builder.build();
    }

    private static RouteMatch grpc(GrpcRouteMatch match) {
        RouteMatch.Builder builder = RouteMatch.newBuilder();
        if (match.serviceName() != null && match.methodName() != null) {
            builder.setPath("/" + match.serviceName() + "/" + match.methodName());
        } else if (match.serviceName() != null) {
            builder.setPrefix("/" + match.serviceName() + "/");
        } else {
            builder.setPrefix("/");
        }
        if (match.metadata() != null) {
            for (GrpcRouteMetadata metadata : match.metadata()) {
                HeaderMatchMethod method = metadata.match() == null ? null : new HeaderMatchMethod(
                        metadata.match().exact(), metadata.match().prefix(), metadata.match().range(),
                        metadata.match().regex(), metadata.match().suffix());
                builder.addHeaders(header(metadata.name(), method, Boolean.TRUE.equals(metadata.invert())));
            }
        }
        return builder.build();
    }

    private static HeaderMatcher exactHeader(String name, String value) {
        return HeaderMatcher.newBuilder().setName(name)
                .setStringMatch(StringMatcher.newBuilder().setExact(value)).build();
    }

    static HeaderMatcher header(String name, HeaderMatchMethod match, boolean invert) {
        HeaderMatcher.Builder builder = HeaderMatcher.newBuilder().setName(name).setInvertMatch(invert);
        if (match == null) {
            return builder.setPresentMatch(true).build();
        }
        if (match.range() != null) {
            MatchRange range = match.range();
            return builder.setRangeMatch(Int64Range.newBuilder().setStart(range.start()).setEnd(range.end())).build();
        }
        StringMatcher.Builder string = StringMatcher.newBuilder();
        if (match.exact() != null) {
            string.setExact(match.exact());
        } else if (match.prefix() != null) {
            string.setPrefix(match.prefix());
        } else if (match.suffix() != null) {
            string.setSuffix(match.suffix());
        } else {
            string.setSafeRegex(regex(match.regex()));
        }
        return builder.setStringMatch(string).build();
    }

    private static RegexMatcher regex(String regex) {
        return RegexMatcher.newBuilder().setRegex(regex).build();
    }
}
