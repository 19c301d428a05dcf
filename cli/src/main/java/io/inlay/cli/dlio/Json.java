package io.inlay.cli.dlio;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;

/** The JSON Inlay writes: pretty, and null values written as null rather than left out (stable keys). */
public final class Json {
    /** Pretty output that keeps keys whose value is null. */
    public static final JSON WRITER = JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT, JSON.Feature.WRITE_NULL_PROPERTIES);

    private Json() {}

    /** The tree as pretty JSON text with a final newline. */
    public static String text(Object tree) throws IOException {
        return WRITER.asString(tree) + "\n";
    }
}
