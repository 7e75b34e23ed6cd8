package io.github.twinlane.foxglove;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A viewer's JSON message read into maps, lists, strings and numbers, with the checks that turn anything
 * unexpected into a {@link Malformed} naming what was wrong (never a parser's own exception). Bounded:
 * nesting depth 8, 10,000 values. The event-loop thread.
 */
final class ClientJson {
    private static final int MAX_DEPTH = 8;
    private static final int MAX_VALUES = 10_000;

    /** Not the protocol: the connection is closed with this reason. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String reason) {
            super(reason, null, false, false);
        }
    }

    private int values;

    private ClientJson() {
    }

    static Map<String, Object> object(String text) throws Malformed {
        try (JsonParser p = ServerJson.JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new Malformed("a message must be a JSON object");
            }
            Map<String, Object> m = new ClientJson().readObject(p, 1);
            if (p.nextToken() != null) {
                throw new Malformed("text after the JSON object");
            }
            return m;
        } catch (IOException e) {
            throw new Malformed("not JSON");
        }
    }

    private Map<String, Object> readObject(JsonParser p, int depth) throws IOException, Malformed {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            m.put(name, read(p, depth));
        }
        return m;
    }

    private Object read(JsonParser p, int depth) throws IOException, Malformed {
        if (++values > MAX_VALUES || depth > MAX_DEPTH) {
            throw new Malformed("message too deep or too large");
        }
        switch (p.currentToken()) {
            case START_OBJECT: return readObject(p, depth + 1);
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(read(p, depth + 1));
                }
                return l;
            }
            case VALUE_STRING: return p.getText();
            case VALUE_NUMBER_INT: return p.getLongValue();
            case VALUE_NUMBER_FLOAT: return p.getDoubleValue();
            case VALUE_TRUE: return Boolean.TRUE;
            case VALUE_FALSE: return Boolean.FALSE;
            default: return null;
        }
    }

    static String string(Map<String, Object> m, String field) throws Malformed {
        Object v = m.get(field);
        if (!(v instanceof String)) {
            throw new Malformed("'" + field + "' must be a string");
        }
        return (String) v;
    }

    static int id(Object v, String field) throws Malformed {
        if (!(v instanceof Long) || (Long) v < 0 || (Long) v > 0xFFFF_FFFFL) {
            throw new Malformed("'" + field + "' must be an unsigned 32-bit integer");
        }
        return (int) (long) (Long) v;
    }

    static List<?> list(Map<String, Object> m, String field) throws Malformed {
        Object v = m.get(field);
        if (!(v instanceof List)) {
            throw new Malformed("'" + field + "' must be an array");
        }
        return (List<?>) v;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object v, String field) throws Malformed {
        if (!(v instanceof Map)) {
            throw new Malformed("each of '" + field + "' must be an object");
        }
        return (Map<String, Object>) v;
    }
}
