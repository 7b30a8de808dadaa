package dev.meshplane.snapshot;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshplane.api.model.FileAccessLog;
import dev.meshplane.api.model.JsonFormatRef;
import dev.meshplane.api.model.Logging;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import java.util.List;

/** A node's or gateway's file access log (a path, and optionally a text or JSON line format). */
final class AccessLogTranslator {

    private AccessLogTranslator() {
    }

    static List<AccessLog> translate(Logging logging) {
        if (logging == null || logging.accessLog() == null || logging.accessLog().file() == null) {
            return List.of();
        }
        return List.of(file(logging.accessLog().file()));
    }

    static AccessLog file(FileAccessLog file) {
        io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog.Builder config =
                io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog.newBuilder().setPath(file.path());
        if (file.format() != null) {
            SubstitutionFormatString.Builder format = SubstitutionFormatString.newBuilder();
            if (file.format().text() != null) {
                String text = file.format().text().endsWith("\n") ? file.format().text() : file.format().text() + "\n";
                format.setTextFormatSource(DataSource.newBuilder().setInlineString(text));
            } else if (file.format().json() != null) {
                Struct.Builder json = Struct.newBuilder();
                for (JsonFormatRef entry : file.format().json()) {
                    json.putFields(entry.key(), Value.newBuilder().setStringValue(entry.value()).build());
                }
                format.setJsonFormat(json);
            }
            config.setLogFormat(format);
        }
        return AccessLog.newBuilder().setName("envoy.access_loggers.file").setTypedConfig(Any.pack(config.build())).build();
    }
}
