package io.joinery.telemetry;

/** The few bits of JSON writing the log lines need (this module has no JSON library). */
final class Json {
    private Json() {
    }

    static StringBuilder field(StringBuilder out, String name, String value) {
        string(out, name).append(':');
        return value == null ? out.append("null") : string(out, value);
    }

    static StringBuilder string(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
