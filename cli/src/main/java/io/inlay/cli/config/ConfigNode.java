package io.inlay.cli.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A mapping of a loaded config with its key path, and typed getters whose errors name the full
 * key path and the bad value ({@code dataset.num_files_train: expected an integer, got 'eight'}).
 * Sections Inlay does not map yet (reader, train, metric, ...) stay available as nodes, so that
 * later commands map them with the same error style. Immutable view; thread-safe once loaded.
 */
public final class ConfigNode {
    private final String path;
    private final Map<String, Object> map;

    ConfigNode(String path, Map<String, Object> map) {
        this.path = path;
        this.map = Collections.unmodifiableMap(map);
    }

    /** The path of this node ({@code dataset.parquet}); empty for the root. */
    public String path() {
        return path;
    }

    /** The path of a key under this node. */
    public String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The mapping itself (read-only), as loaded with overrides applied: what Hydra would save as the composed config. */
    public Map<String, Object> asMap() {
        return map;
    }

    /** The keys present. */
    public Set<String> keys() {
        return map.keySet();
    }

    public boolean has(String key) {
        return map.containsKey(key) && map.get(key) != null;
    }

    /** The raw value (String, Integer/Long/BigInteger, Double, Boolean, List, Map) or null. */
    public Object raw(String key) {
        return map.get(key);
    }

    /** A nested mapping, if present. */
    @SuppressWarnings("unchecked")
    public Optional<ConfigNode> section(String key) throws ConfigException {
        Object v = map.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof Map<?, ?>)) {
            throw new ConfigException(pathOf(key), "expected a section (key: value lines), got " + describe(v));
        }
        return Optional.of(new ConfigNode(pathOf(key), (Map<String, Object>) v));
    }

    /** A list of mappings ({@code columns}), empty when absent. */
    @SuppressWarnings("unchecked")
    public List<ConfigNode> sections(String key) throws ConfigException {
        Object v = map.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            throw new ConfigException(pathOf(key), "expected a list, got " + describe(v));
        }
        List<ConfigNode> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String p = pathOf(key) + "[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw new ConfigException(p, "expected a section (key: value lines), got " + describe(list.get(i)));
            }
            out.add(new ConfigNode(p, (Map<String, Object>) m));
        }
        return out;
    }

    public String string(String key, String defaultValue) throws ConfigException {
        Object v = map.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (!(v instanceof String s)) {
            throw new ConfigException(pathOf(key), "expected text, got " + describe(v));
        }
        return s;
    }

    public long longValue(String key, long defaultValue, long min) throws ConfigException {
        Object v = map.get(key);
        if (v == null) {
            return defaultValue;
        }
        long n;
        if (v instanceof Integer || v instanceof Long) {
            n = ((Number) v).longValue();
        } else if (v instanceof java.math.BigInteger) {
            throw new ConfigException(pathOf(key), describe(v) + " is too large");
        } else {
            throw new ConfigException(pathOf(key), "expected an integer, got " + describe(v));
        }
        if (n < min) {
            throw new ConfigException(pathOf(key), n + " must be at least " + min);
        }
        return n;
    }

    public int intValue(String key, int defaultValue, int min) throws ConfigException {
        long n = longValue(key, defaultValue, min);
        if (n > Integer.MAX_VALUE) {
            throw new ConfigException(pathOf(key), n + " is larger than " + Integer.MAX_VALUE);
        }
        return (int) n;
    }

    public double doubleValue(String key, double defaultValue) throws ConfigException {
        Object v = map.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Number n && !(v instanceof java.math.BigInteger)) {
            return n.doubleValue();
        }
        throw new ConfigException(pathOf(key), "expected a number, got " + describe(v));
    }

    public boolean bool(String key, boolean defaultValue) throws ConfigException {
        Object v = map.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        // DLIO's configs are written for PyYAML (YAML 1.1), where these words are booleans too
        if (v instanceof String s) {
            switch (s.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "yes", "on", "true" -> {
                    return true;
                }
                case "no", "off", "false" -> {
                    return false;
                }
                default -> { }
            }
        }
        throw new ConfigException(pathOf(key), "expected true or false, got " + describe(v));
    }

    /** A value as quoted in error messages: {@code 'eight' (text)}, {@code 8.5 (a number)}, ... */
    static String describe(Object v) {
        if (v == null) {
            return "nothing";
        }
        if (v instanceof String s) {
            return "'" + s + "' (text)";
        }
        if (v instanceof Boolean) {
            return v + " (true/false)";
        }
        if (v instanceof Number) {
            return v + " (a number)";
        }
        if (v instanceof List<?>) {
            return "a list";
        }
        if (v instanceof Map<?, ?>) {
            return "a section";
        }
        return String.valueOf(v);
    }
}
