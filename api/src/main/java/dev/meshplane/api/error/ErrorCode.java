package dev.meshplane.api.error;

/**
 * The App Mesh error shapes, with the HTTP status the 2019-01-25 model gives each.
 * Clients find the type in the {@code x-amzn-ErrorType} header.
 */
public enum ErrorCode {
    BAD_REQUEST("BadRequestException", 400),
    CONFLICT("ConflictException", 409),
    FORBIDDEN("ForbiddenException", 403),
    INTERNAL_SERVER_ERROR("InternalServerErrorException", 500),
    LIMIT_EXCEEDED("LimitExceededException", 400),
    NOT_FOUND("NotFoundException", 404),
    RESOURCE_IN_USE("ResourceInUseException", 409),
    SERVICE_UNAVAILABLE("ServiceUnavailableException", 503),
    TOO_MANY_REQUESTS("TooManyRequestsException", 429),
    TOO_MANY_TAGS("TooManyTagsException", 400),
    /** Meshplane's extension: an {@code If-Match} version that is no longer current. */
    PRECONDITION_FAILED("PreconditionFailedException", 412),
    /** A request body larger than the server accepts. */
    PAYLOAD_TOO_LARGE("BadRequestException", 413);

    private final String type;
    private final int httpStatus;

    ErrorCode(String type, int httpStatus) {
        this.type = type;
        this.httpStatus = httpStatus;
    }

    /** The error type name, as sent in {@code x-amzn-ErrorType}. */
    public String type() {
        return type;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
