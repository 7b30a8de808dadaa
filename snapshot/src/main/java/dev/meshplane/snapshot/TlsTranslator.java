package dev.meshplane.snapshot;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import dev.meshplane.api.model.ClientPolicy;
import dev.meshplane.api.model.ClientPolicyTls;
import dev.meshplane.api.model.ListenerTls;
import dev.meshplane.api.model.ListenerTlsMode;
import dev.meshplane.api.model.PortProtocol;
import dev.meshplane.api.model.SubjectAlternativeNames;
import dev.meshplane.api.model.TlsValidationContext;
import dev.meshplane.api.validation.IpLiterals;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * TLS as App Mesh configures it: a listener terminates TLS with a certificate from files on the
 * proxy or from an SDS secret, and with a validation context requires and checks client
 * certificates (mutual TLS); a client policy originates TLS towards a backend, validating its
 * certificate against a trust and optional subject alternative names (DNS or URI, such as SPIFFE
 * ids), presenting its own certificate when one is given. Meshplane's built-in SDS secrets are fetched over the same
 * ADS stream, other SDS names from the proxy's local SDS server.
 * Every context where the HTTP version is negotiated advertises ALPN: gRPC clients (grpc-java, grpc-go
 * since 1.67) refuse a TLS server that does not select {@code h2}.
 */
final class TlsTranslator {

    static final String TLS_SOCKET = "envoy.transport_sockets.tls";

    /** A certificate: files on the proxy, or an SDS secret. */
    record Certificate(String chainFile, String keyFile, String sdsSecret) {
    }

    /** What to trust: a CA bundle file or an SDS secret, and the names a peer must carry (empty: any). */
    record Trust(String caFile, String sdsSecret, List<String> subjectAltNames) {
    }

    private TlsTranslator() {
    }

    /**
     * The ALPN protocols a listener of this protocol offers: HTTP/2 and gRPC listeners {@code h2} first
     * (gRPC requires it, RFC 7540 section 3.3), HTTP/1.1 as well, since Envoy's codec serves both; HTTP listeners
     * {@code http/1.1}; TCP none (ALPN means nothing to a TCP proxy).
     */
    static List<String> alpn(String protocol) {
        return switch (protocol) {
            case "http2", "grpc" -> List.of("h2", "http/1.1");
            case "http" -> List.of("http/1.1");
            default -> List.of();
        };
    }

    /** What a client offers a target of this protocol: {@code h2} to HTTP/2 and gRPC targets, nothing otherwise. */
    static List<String> upstreamAlpn(PortProtocol target) {
        return target == PortProtocol.HTTP2 || target == PortProtocol.GRPC ? List.of("h2") : List.of();
    }

    static Certificate certificate(dev.meshplane.api.model.ListenerTlsFileCertificate file,
            dev.meshplane.api.model.ListenerTlsSdsCertificate sds) {
        return certificate(file == null ? null : file.certificateChain(), file == null ? null : file.privateKey(),
                sds == null ? null : sds.secretName());
    }

    /** Files when a chain is given, else the SDS secret, else none. */
    static Certificate certificate(String chainFile, String keyFile, String sdsSecret) {
        if (chainFile != null) {
            return new Certificate(chainFile, keyFile, null);
        }
        return sdsSecret == null ? null : new Certificate(null, null, sdsSecret);
    }

    static Trust trust(String caFile, String sdsSecret, SubjectAlternativeNames sans) {
        return new Trust(caFile, sdsSecret, sans == null ? List.of() : sans.match().exact());
    }

    /** Whether a client policy's TLS applies to a port: enforced (the default) and the port listed, or none listed. */
    private static boolean applies(Boolean enforce, List<Integer> ports, int port) {
        return !Boolean.FALSE.equals(enforce) && (ports == null || ports.isEmpty() || ports.contains(port));
    }

    /** The listener's TLS: null when DISABLED or absent. PERMISSIVE is handled by the caller with a plaintext chain. */
    static TransportSocket downstream(ListenerTls tls, PortProtocol protocol) {
        if (tls == null || tls.mode() == ListenerTlsMode.DISABLED) {
            return null;
        }
        var v = tls.validation();
        var t = v == null ? null : v.trust();
        Trust trust = v == null ? null : trust(t.file() == null ? null : t.file().certificateChain(),
                t.sds() == null ? null : t.sds().secretName(), v.subjectAlternativeNames());
        return downstream(certificate(tls.certificate().file(), tls.certificate().sds()), trust, alpn(protocol.wireValue()));
    }

    /** A virtual gateway listener's TLS; null when DISABLED or absent. */
    static TransportSocket downstream(dev.meshplane.api.model.VirtualGatewayListenerTls tls,
            dev.meshplane.api.model.VirtualGatewayPortProtocol protocol) {
        if (tls == null || tls.mode() == dev.meshplane.api.model.VirtualGatewayListenerTlsMode.DISABLED) {
            return null;
        }
        var c = tls.certificate();
        var v = tls.validation();
        var t = v == null ? null : v.trust();
        Trust trust = v == null ? null : trust(t.file() == null ? null : t.file().certificateChain(),
                t.sds() == null ? null : t.sds().secretName(), v.subjectAlternativeNames());
        return downstream(certificate(c.file() == null ? null : c.file().certificateChain(),
                c.file() == null ? null : c.file().privateKey(), c.sds() == null ? null : c.sds().secretName()), trust,
                alpn(protocol.wireValue()));
    }

    /** The TLS a virtual gateway's client policy asks for towards one port of a backend, or null. */
    static TransportSocket upstream(dev.meshplane.api.model.VirtualGatewayClientPolicy policy, int port, String sni,
            PortProtocol target) {
        var tls = policy == null ? null : policy.tls();
        if (tls == null || !applies(tls.enforce(), tls.ports(), port)) {
            return null;
        }
        var c = tls.certificate();
        Certificate certificate = c == null ? null : certificate(c.file() == null ? null : c.file().certificateChain(),
                c.file() == null ? null : c.file().privateKey(), c.sds() == null ? null : c.sds().secretName());
        var t = tls.validation().trust();
        return upstream(certificate, trust(t.file() == null ? null : t.file().certificateChain(),
                t.sds() == null ? null : t.sds().secretName(), tls.validation().subjectAlternativeNames()), sni,
                upstreamAlpn(target));
    }

    /** The mesh's own mTLS on a listener: the proxy's identity, and client certificates from the mesh's CA. */
    static TransportSocket meshDownstream(PortProtocol protocol) {
        return downstream(new Certificate(null, null, BuiltInSecrets.IDENTITY),
                new Trust(null, BuiltInSecrets.TRUST, List.of()), alpn(protocol.wireValue()));
    }

    /** The mesh's own mTLS towards a virtual node: the proxy's identity, and the target's SPIFFE id checked. */
    static TransportSocket meshUpstream(String mesh, String targetNode, String sni, PortProtocol target) {
        return upstream(new Certificate(null, null, BuiltInSecrets.IDENTITY),
                new Trust(null, BuiltInSecrets.TRUST, List.of(BuiltInSecrets.spiffeId(mesh, "virtualNode", targetNode))),
                sni, true, upstreamAlpn(target));
    }

    static TransportSocket downstream(Certificate certificate, Trust trust, List<String> alpn) {
        DownstreamTlsContext.Builder context = DownstreamTlsContext.newBuilder()
                .setCommonTlsContext(common(certificate, trust, false, alpn));
        if (trust != null) {
            context.setRequireClientCertificate(BoolValue.of(true));
        }
        return TransportSocket.newBuilder().setName(TLS_SOCKET).setTypedConfig(Any.pack(context.build())).build();
    }

    /** The TLS a client policy asks for towards one port of a backend, or null when it does not apply. */
    static TransportSocket upstream(ClientPolicy policy, int port, String sni, PortProtocol target) {
        ClientPolicyTls tls = policy == null ? null : policy.tls();
        if (tls == null || !applies(tls.enforce(), tls.ports(), port)) {
            return null;
        }
        Certificate certificate = tls.certificate() == null ? null
                : certificate(tls.certificate().file(), tls.certificate().sds());
        TlsValidationContext validation = tls.validation();
        var t = validation.trust();
        return upstream(certificate, trust(t.file() == null ? null : t.file().certificateChain(),
                t.sds() == null ? null : t.sds().secretName(), validation.subjectAlternativeNames()), sni,
                upstreamAlpn(target));
    }

    static TransportSocket upstream(Certificate certificate, Trust trust, String sni, List<String> alpn) {
        return upstream(certificate, trust, sni, false, alpn);
    }

    private static TransportSocket upstream(Certificate certificate, Trust trust, String sni, boolean uriSansOnly,
            List<String> alpn) {
        UpstreamTlsContext context = UpstreamTlsContext.newBuilder().setSni(sni)
                .setCommonTlsContext(common(certificate, trust, uriSansOnly, alpn)).build();
        return TransportSocket.newBuilder().setName(TLS_SOCKET).setTypedConfig(Any.pack(context)).build();
    }

    /**
     * The SAN types an App Mesh {@code subjectAlternativeNames.match.exact} name is compared with. App Mesh's Envoy
     * compared it with every SAN of the certificate whatever its type (the untyped {@code match_subject_alt_names}:
     * {@code BackwardsCompatibleSanMatcher}, {@code san_matcher_config.cc}); a typed matcher compares one type only
     * ({@code default_validator.cc}, {@code verifySubjectAltName}), so DNS and URI alone left a certificate naming its
     * peer by an IP or e-mail SAN unmatched and every connection failed. A name that is an IP literal is also matched as
     * an IP SAN (Envoy renders IP SANs with {@code inet_ntop}, so the name is compared as written, as App Mesh did), one
     * holding {@code @} as an e-mail SAN.
     *
     * @param name an exact SAN from the spec
     * @return the SAN types to emit a matcher for, DNS and URI always
     */
    private static List<SubjectAltNameMatcher.SanType> sanTypes(String name) {
        List<SubjectAltNameMatcher.SanType> types = new ArrayList<>(
                List.of(SubjectAltNameMatcher.SanType.DNS, SubjectAltNameMatcher.SanType.URI));
        if (IpLiterals.address(name) == null) {
            types.add(SubjectAltNameMatcher.SanType.IP_ADDRESS);
        }
        if (name.indexOf('@') > 0) {
            types.add(SubjectAltNameMatcher.SanType.EMAIL);
        }
        return types;
    }

    private static CommonTlsContext common(Certificate certificate, Trust trust, boolean uriSansOnly, List<String> alpn) {
        CommonTlsContext.Builder common = CommonTlsContext.newBuilder().addAllAlpnProtocols(alpn);
        if (certificate != null) {
            if (certificate.sdsSecret() != null) {
                common.addTlsCertificateSdsSecretConfigs(sds(certificate.sdsSecret()));
            } else {
                common.addTlsCertificates(TlsCertificate.newBuilder()
                        .setCertificateChain(DataSource.newBuilder().setFilename(certificate.chainFile()))
                        .setPrivateKey(DataSource.newBuilder().setFilename(certificate.keyFile())));
            }
        }
        if (trust != null) {
            CertificateValidationContext.Builder validation = CertificateValidationContext.newBuilder();
            for (String name : trust.subjectAltNames()) {
                for (SubjectAltNameMatcher.SanType type : uriSansOnly ? List.of(SubjectAltNameMatcher.SanType.URI)
                        : sanTypes(name)) {
                    validation.addMatchTypedSubjectAltNames(SubjectAltNameMatcher.newBuilder().setSanType(type)
                            .setMatcher(StringMatcher.newBuilder().setExact(name)));
                }
            }
            if (trust.sdsSecret() != null) {
                common.setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                        .setDefaultValidationContext(validation)
                        .setValidationContextSdsSecretConfig(sds(trust.sdsSecret())));
            } else {
                common.setValidationContext(validation.setTrustedCa(DataSource.newBuilder().setFilename(trust.caFile())));
            }
        }
        return common.build();
    }

    /**
     * Meshplane's built-in secrets come over ADS; any other name is the proxy's own SDS server's (SPIRE's agent, as
     * App Mesh documents for SDS certificates), reached through the bootstrap's static cluster to its Unix socket.
     */
    private static SdsSecretConfig sds(String name) {
        return SdsSecretConfig.newBuilder().setName(name)
                .setSdsConfig(BuiltInSecrets.builtIn(name) ? ClusterTranslator.ads() : LOCAL_SDS).build();
    }

    private static final io.envoyproxy.envoy.config.core.v3.ConfigSource LOCAL_SDS =
            io.envoyproxy.envoy.config.core.v3.ConfigSource.newBuilder()
                    .setResourceApiVersion(io.envoyproxy.envoy.config.core.v3.ApiVersion.V3)
                    .setApiConfigSource(io.envoyproxy.envoy.config.core.v3.ApiConfigSource.newBuilder()
                            .setApiType(io.envoyproxy.envoy.config.core.v3.ApiConfigSource.ApiType.GRPC)
                            .setTransportApiVersion(io.envoyproxy.envoy.config.core.v3.ApiVersion.V3)
                            .addGrpcServices(io.envoyproxy.envoy.config.core.v3.GrpcService.newBuilder()
                                    .setEnvoyGrpc(io.envoyproxy.envoy.config.core.v3.GrpcService.EnvoyGrpc.newBuilder()
                                            .setClusterName(BuiltInSecrets.LOCAL_SDS_CLUSTER))))
                    .build();
}
