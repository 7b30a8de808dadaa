package dev.meshplane.api.validation;

/**
 * Whether an access log path can be opened as a file. Envoy opens the file (write, create, append) when it loads the
 * listener holding the log and refuses the listener when it cannot (access_log/access_log_manager_impl.cc, "unable to
 * open file"); a path ending in '/' or whose last segment is '.' or '..' names a directory, which open(2) refuses for
 * writing on every proxy (EISDIR). The API refuses it (SpecRules) and the pre-push check (snapshot's EnvoyLoadRules)
 * applies the same rule to what is emitted.
 */
public final class AccessLogPaths {

    private AccessLogPaths() {
    }

    /**
     * Why Envoy could never open the path as its access log, or null when it may.
     *
     * @param path an access log file path (null is fine)
     * @return the problem, starting with the quoted path, or null
     */
    public static String problem(String path) {
        if (path == null) {
            return null;
        }
        String last = path.substring(path.lastIndexOf('/') + 1);
        if (last.isEmpty() || last.equals(".") || last.equals("..")) {
            return "'" + path + "' names a directory, not a file: Envoy cannot open it as its access log and refuses"
                    + " the listener";
        }
        return null;
    }
}
