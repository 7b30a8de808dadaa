package dev.meshplane.persistence;

import java.util.List;

/** One page of a list; {@code nextToken} is null on the last page. */
public record Page<T>(List<T> items, String nextToken) {
}
