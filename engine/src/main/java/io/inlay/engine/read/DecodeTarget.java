package io.inlay.engine.read;

import java.lang.foreign.Arena;
import java.util.Objects;

/**
 * Where a read puts the vectors it decodes: the one output argument of
 * {@link ParquetFile#readAll}, {@link ParquetFile#readRowGroup} and {@link ParquetFile#rowGroups}.
 *
 * <ul>
 *   <li>{@link #arena(Arena) DecodeTarget.arena(arena)}: fresh memory from the caller's arena. The
 *       caller owns it; the vectors live as long as the arena, and a thread may use them as the
 *       arena allows (a confined arena: its owner thread only).</li>
 *   <li>a {@link ReadBuffers}: buffers the caller keeps and reuses across row groups and files. The
 *       vectors are valid until the next decode into the same buffers (see each read method) or
 *       their close; the buffers, and so the read, are confined to one thread at a time.</li>
 * </ul>
 */
public sealed interface DecodeTarget permits DecodeTarget.InArena, ReadBuffers {

    /** Vectors allocated from {@code arena}, which the caller owns and closes. */
    static DecodeTarget arena(Arena arena) {
        return new InArena(arena);
    }

    /** The {@link #arena(Arena)} target. */
    record InArena(Arena arena) implements DecodeTarget {
        public InArena {
            Objects.requireNonNull(arena, "arena");
        }
    }
}
