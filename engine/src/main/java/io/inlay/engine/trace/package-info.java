/**
 * Timeline tracing: per-thread events (file opens, storage reads, decompression and decoding,
 * and whatever the caller marks) recorded without allocation into preallocated off-heap rings and
 * written as Chrome trace-event JSON, one event a line, as dftracer writes its {@code .pfw} files
 * (Perfetto and {@code chrome://tracing} open them; DLIO's analysis scripts read them).
 *
 * <ul>
 *   <li>{@link io.inlay.engine.trace.Trace}: the recording calls ({@code start}/{@code end}), off
 *       by default at the cost of one branch;</li>
 *   <li>{@link io.inlay.engine.trace.TraceKind}: an event's name, category and argument names;</li>
 *   <li>{@link io.inlay.engine.trace.TraceSession}: the open trace file that turns recording on,
 *       owns the rings, takes their events into its off-heap stash (its writer thread when a ring
 *       is three quarters full, the caller's thread at {@code collect()}) and writes them at
 *       {@code close()}, after the run; past the stash's budget, its writer thread spools the
 *       stash's records as they are during the run ({@code Spool}), formatted at close.</li>
 * </ul>
 *
 * The engine's own events are recorded in one place, {@code io.inlay.engine.trace.EngineEvents}.
 */
package io.inlay.engine.trace;
