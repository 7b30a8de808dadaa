package dev.meshplane.api.error;

/** An error the API reports to its caller in App Mesh's error shape. */
public final class ApiException extends RuntimeException {

    private final ErrorCode code;

    public ApiException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(ErrorCode.BAD_REQUEST, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(ErrorCode.NOT_FOUND, message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(ErrorCode.CONFLICT, message);
    }

    public static ApiException inUse(String message) {
        return new ApiException(ErrorCode.RESOURCE_IN_USE, message);
    }

    public static ApiException limitExceeded(String message) {
        return new ApiException(ErrorCode.LIMIT_EXCEEDED, message);
    }
}
