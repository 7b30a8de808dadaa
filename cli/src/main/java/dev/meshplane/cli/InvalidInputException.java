package dev.meshplane.cli;

/**
 * Input a command refuses: the message names where (file, member path) and what is wrong, and the
 * command exits with {@link ExitCodes#INVALID_INPUT} having written nothing.
 */
public class InvalidInputException extends RuntimeException {

    public InvalidInputException(String message) {
        super(message);
    }
}
