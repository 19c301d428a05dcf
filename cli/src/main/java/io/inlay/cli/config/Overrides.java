package io.inlay.cli.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Applies command-line overrides to a loaded config tree before it is mapped, so that an override
 * is checked exactly like the same value in the file:
 *
 * <pre>
 * dataset.num_files_train=8                      plain key path
 * ++workload.dataset.num_files_train=8           Hydra's form, as MLPerf Storage passes it through
 * dataset.parquet.columns[0].size=16             list entries by index (also columns.0.size)
 * </pre>
 *
 * Values are read as YAML scalars ({@code 8} is an integer, {@code true} a boolean, {@code null}
 * removes the value). Missing sections on the way are created.
 */
final class Overrides {
    private Overrides() {}

    /**
     * Applies {@code overrides} to {@code root}.
     *
     * @return the key path each override set ({@code dataset.parquet.columns[0].size}), mapped to
     *     the override as given, in order
     * @throws ConfigException attributed to the override that is malformed
     */
    static Map<String, String> apply(Map<String, Object> root, List<String> overrides) throws ConfigException {
        Map<String, String> applied = new LinkedHashMap<>();
        Load yaml = new Load(LoadSettings.builder().setSchema(new CoreSchema()).setLabel("override").build());
        for (String o : overrides) {
            int eq = o.indexOf('=');
            String key = eq < 0 ? o : o.substring(0, eq).strip();
            String origin = "override '" + o + "'";
            if (eq < 0 || key.isEmpty()) {
                throw new ConfigException("", "expected key=value, for example dataset.num_files_train=8").from(origin);
            }
            key = key.replaceFirst("^\\+{1,2}", "");
            if (key.startsWith("workload.")) {
                key = key.substring("workload.".length());
            }
            Object value;
            try {
                value = yaml.loadFromString(o.substring(eq + 1));
            } catch (YamlEngineException e) {
                throw new ConfigException(key, "'" + o.substring(eq + 1) + "' is not a YAML value: "
                        + e.getMessage()).from(origin);
            }
            try {
                applied.put(set(root, key, value), o);
            } catch (ConfigException e) {
                throw e.from(origin);
            }
        }
        return applied;
    }

    @SuppressWarnings("unchecked")
    /** Sets {@code key} to {@code value} and returns the key's path as config errors name it. */
    private static String set(Map<String, Object> root, String key, Object value) throws ConfigException {
        String[] parts = key.replaceAll("\\[(\\d+)]", ".$1").split("\\.", -1);
        Object node = root;
        String path = "";
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            if (part.isEmpty()) {
                throw new ConfigException("", "empty key in '" + key + "'");
            }
            if (node instanceof List<?> list) {
                if (!part.chars().allMatch(Character::isDigit)) {
                    throw new ConfigException(path, "a list, and '" + part + "' is not an index");
                }
                int index = Integer.parseInt(part);
                path = path + "[" + index + "]";
                if (index >= list.size()) {
                    throw new ConfigException(path, "the list has " + list.size() + " entries");
                }
                if (last) {
                    ((List<Object>) list).set(index, value);
                    return path;
                }
                node = list.get(index);
            } else if (node instanceof Map<?, ?>) {
                Map<String, Object> map = (Map<String, Object>) node;
                path = path.isEmpty() ? part : path + "." + part;
                if (last) {
                    map.put(part, value);
                    return path;
                }
                Object child = map.get(part);
                if (child == null) {
                    child = new LinkedHashMap<String, Object>();
                    map.put(part, child);
                }
                node = child;
            } else {
                throw new ConfigException(path, "holds a value, not a section");
            }
        }
        return path;
    }
}
