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

    static void apply(Map<String, Object> root, List<String> overrides) throws ConfigException {
        Load yaml = new Load(LoadSettings.builder().setSchema(new CoreSchema()).setLabel("override").build());
        for (String o : overrides) {
            int eq = o.indexOf('=');
            String key = eq < 0 ? o : o.substring(0, eq).strip();
            if (eq < 0 || key.isEmpty()) {
                throw new ConfigException("", "override '" + o + "': expected key=value, for example dataset.num_files_train=8");
            }
            key = key.replaceFirst("^\\+{1,2}", "");
            if (key.startsWith("workload.")) {
                key = key.substring("workload.".length());
            }
            Object value;
            try {
                value = yaml.loadFromString(o.substring(eq + 1));
            } catch (YamlEngineException e) {
                throw new ConfigException(key, "override value '" + o.substring(eq + 1) + "' is not a YAML value: "
                        + e.getMessage());
            }
            set(root, key, value, o);
        }
    }

    @SuppressWarnings("unchecked")
    private static void set(Map<String, Object> root, String key, Object value, String original) throws ConfigException {
        String[] parts = key.replaceAll("\\[(\\d+)]", ".$1").split("\\.", -1);
        Object node = root;
        String path = "";
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            if (part.isEmpty()) {
                throw new ConfigException("", "override '" + original + "': empty key in '" + key + "'");
            }
            if (node instanceof List<?> list) {
                if (!part.chars().allMatch(Character::isDigit)) {
                    throw new ConfigException(path, "override '" + original + "': " + path + " is a list, '" + part
                            + "' is not an index");
                }
                int index = Integer.parseInt(part);
                path = path + "[" + index + "]";
                if (index >= list.size()) {
                    throw new ConfigException(path, "override '" + original + "': the list has " + list.size() + " entries");
                }
                if (last) {
                    ((List<Object>) list).set(index, value);
                    return;
                }
                node = list.get(index);
            } else if (node instanceof Map<?, ?>) {
                Map<String, Object> map = (Map<String, Object>) node;
                path = path.isEmpty() ? part : path + "." + part;
                if (last) {
                    map.put(part, value);
                    return;
                }
                Object child = map.get(part);
                if (child == null) {
                    child = new LinkedHashMap<String, Object>();
                    map.put(part, child);
                }
                node = child;
            } else {
                throw new ConfigException(path, "override '" + original + "': " + path + " holds a value, not a section");
            }
        }
    }
}
