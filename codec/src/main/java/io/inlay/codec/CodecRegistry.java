package io.inlay.codec;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The codecs available to Inlay, keyed by {@link CompressionCodec}. The {@linkplain #standard()
 * standard registry} is loaded once through {@link ServiceLoader}; when several providers offer
 * the same codec, the first one found wins. Immutable and thread-safe.
 */
public final class CodecRegistry {

    private static final class Holder {
        static final CodecRegistry STANDARD = load();
    }

    private final Map<CompressionCodec, CodecProvider> providers;
    private final List<String> loadFailures;

    private CodecRegistry(Map<CompressionCodec, CodecProvider> providers, List<String> loadFailures) {
        this.providers = Collections.unmodifiableMap(providers);
        this.loadFailures = List.copyOf(loadFailures);
    }

    /** The registry of every provider visible to {@link ServiceLoader}, loaded on first use. */
    public static CodecRegistry standard() {
        return Holder.STANDARD;
    }

    /** A registry of the given providers, the first one for each codec winning. */
    public static CodecRegistry of(Iterable<? extends CodecProvider> providers) {
        Map<CompressionCodec, CodecProvider> map = new EnumMap<>(CompressionCodec.class);
        for (CodecProvider p : providers) {
            map.putIfAbsent(Objects.requireNonNull(p.codec(), "codec"), p);
        }
        return new CodecRegistry(map, List.of());
    }

    private static CodecRegistry load() {
        Map<CompressionCodec, CodecProvider> map = new EnumMap<>(CompressionCodec.class);
        List<String> failures = new java.util.ArrayList<>();
        var iterator = ServiceLoader.load(CodecProvider.class, CodecRegistry.class.getClassLoader()).iterator();
        while (true) {
            CodecProvider provider;
            try {
                if (!iterator.hasNext()) {
                    break;
                }
                provider = iterator.next();
            } catch (ServiceConfigurationError e) {
                failures.add(e.getMessage());
                continue;
            }
            map.putIfAbsent(provider.codec(), provider);
        }
        return new CodecRegistry(map, failures);
    }

    /** The codecs this registry has a provider for. */
    public Set<CompressionCodec> available() {
        return providers.keySet();
    }

    /** Whether a provider for the codec is present. */
    public boolean isAvailable(CompressionCodec codec) {
        return providers.containsKey(codec);
    }

    /**
     * The provider for a codec.
     *
     * @throws CodecException naming the codec and listing those available
     */
    public CodecProvider provider(CompressionCodec codec) throws CodecException {
        CodecProvider p = providers.get(Objects.requireNonNull(codec, "codec"));
        if (p == null) {
            throw new CodecException(missingMessage(codec));
        }
        return p;
    }

    private String missingMessage(CompressionCodec codec) {
        String available = providers.keySet().stream().map(Enum::name).collect(Collectors.joining(", "));
        StringBuilder sb = new StringBuilder("compression codec ").append(codec).append(" is not supported");
        sb.append(" (available: ").append(available.isEmpty() ? "none" : available).append(')');
        sb.append("; a codec provider jar for ").append(codec)
                .append(" on the class or module path adds it");
        if (!loadFailures.isEmpty()) {
            sb.append("; providers that failed to load: ").append(String.join("; ", loadFailures));
        }
        return sb.toString();
    }
}
