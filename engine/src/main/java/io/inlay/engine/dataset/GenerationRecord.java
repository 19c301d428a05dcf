package io.inlay.engine.dataset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a generated file's footer records under {@value DatasetGenerator#CONFIG_KEY}: the
 * generation config (dataset, seed, writer options), as canonical JSON whose top-level values are
 * compared field by field. The generator writes it (see {@link DatasetGenerator}), and a re-run
 * keeps an existing file only when the record equals the requested one; {@link #differences} says
 * in words what changed. Immutable.
 */
final class GenerationRecord {
    private static final Pattern COLUMN = Pattern.compile(
            "\\{\"name\":(\"(?:[^\"\\\\]|\\\\.)*\"),\"dtype\":\"([^\"]*)\",\"size\":(\\d+)}");

    private final String json;
    private final Map<String, String> fields;

    private GenerationRecord(String json, Map<String, String> fields) {
        this.json = json;
        this.fields = fields;
    }

    /** The record of {@code json}, or null when it is not a JSON object of this shape. */
    static GenerationRecord parse(String json) {
        Map<String, String> f = topLevelFields(json);
        return f == null ? null : new GenerationRecord(json, f);
    }

    String json() {
        return json;
    }

    /**
     * How {@code recorded} (a file's) differs from this (the requested record), one phrase per
     * field in the requested record's order ({@code compression snappy (now zstd)}); empty when
     * they are equal.
     */
    List<String> differences(GenerationRecord recorded) {
        List<String> out = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> e : fields.entrySet()) {
            String key = e.getKey();
            String was = recorded.fields.get(key);
            if (was == null) {
                missing.add(key);
            } else if (!was.equals(e.getValue())) {
                out.add(key.equals("columns") ? columnDifference(was, e.getValue())
                        : key + " " + shown(was) + " (now " + shown(e.getValue()) + ")");
            }
        }
        if (!missing.isEmpty()) {
            out.add(0, "recorded by another version of inlay generate (without " + String.join(", ", missing) + ")");
        }
        for (String key : recorded.fields.keySet()) {
            if (!fields.containsKey(key)) {
                out.add(key + " " + shown(recorded.fields.get(key)) + " is recorded but no longer used");
            }
        }
        return out;
    }

    private static String shown(String jsonValue) {
        if (jsonValue.length() >= 2 && jsonValue.startsWith("\"") && jsonValue.endsWith("\"")) {
            return jsonValue.substring(1, jsonValue.length() - 1);
        }
        return jsonValue;
    }

    /** {@code column 'x' size 16 (now 32)}, {@code columns a, b (now a, c)}, ... */
    private static String columnDifference(String was, String now) {
        Map<String, String[]> before = columns(was);
        Map<String, String[]> after = columns(now);
        if (before.keySet().equals(after.keySet()) && new ArrayList<>(before.keySet()).equals(new ArrayList<>(after.keySet()))) {
            List<String> changes = new ArrayList<>();
            for (Map.Entry<String, String[]> e : after.entrySet()) {
                String[] b = before.get(e.getKey());
                String[] a = e.getValue();
                if (!b[0].equals(a[0])) {
                    changes.add("column '" + e.getKey() + "' dtype " + b[0] + " (now " + a[0] + ")");
                }
                if (!b[1].equals(a[1])) {
                    changes.add("column '" + e.getKey() + "' size " + b[1] + " (now " + a[1] + ")");
                }
            }
            if (!changes.isEmpty()) {
                return String.join(", ", changes);
            }
        }
        return "columns " + String.join(", ", before.keySet()) + " (now " + String.join(", ", after.keySet()) + ")";
    }

    private static Map<String, String[]> columns(String array) {
        Map<String, String[]> out = new LinkedHashMap<>();
        Matcher m = COLUMN.matcher(array);
        while (m.find()) {
            String name = m.group(1);
            out.put(name.substring(1, name.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\"),
                    new String[] {m.group(2), m.group(3)});
        }
        return out;
    }

    /**
     * The top-level fields of a JSON object, each value as its JSON text; null when {@code json}
     * is not an object. Values are matched by nesting and string quoting, not interpreted.
     */
    static Map<String, String> topLevelFields(String json) {
        Objects.requireNonNull(json, "json");
        String s = json.strip();
        if (s.length() < 2 || s.charAt(0) != '{' || s.charAt(s.length() - 1) != '}') {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        int i = 1;
        int end = s.length() - 1;
        while (i < end) {
            i = skipSpace(s, i);
            if (i >= end) {
                break;
            }
            if (s.charAt(i) != '"') {
                return null;
            }
            int keyEnd = stringEnd(s, i);
            if (keyEnd < 0) {
                return null;
            }
            String key = s.substring(i + 1, keyEnd);
            i = skipSpace(s, keyEnd + 1);
            if (i >= end || s.charAt(i) != ':') {
                return null;
            }
            i = skipSpace(s, i + 1);
            int start = i;
            int depth = 0;
            while (i < end) {
                char c = s.charAt(i);
                if (c == '"') {
                    i = stringEnd(s, i);
                    if (i < 0) {
                        return null;
                    }
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                } else if (c == ',' && depth == 0) {
                    break;
                }
                i++;
            }
            if (depth != 0) {
                return null;
            }
            out.put(key, s.substring(start, i).strip());
            i++; // the comma
        }
        return out;
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The index of the quote closing the string that starts at {@code i}, or -1. */
    private static int stringEnd(String s, int i) {
        for (int j = i + 1; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c == '\\') {
                j++;
            } else if (c == '"') {
                return j;
            }
        }
        return -1;
    }
}
