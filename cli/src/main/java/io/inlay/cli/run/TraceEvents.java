package io.inlay.cli.run;

import io.inlay.engine.trace.TraceKind;
import java.util.List;

/**
 * The events the training loop and the workflow put on a rank's timeline (the engine's own,
 * file opens, storage reads, decompression and decoding, are in
 * {@code io.inlay.engine.trace.EngineEvents}). Categories group them for the report's timeline:
 * {@code train} (the emulated accelerator's thread), {@code reader} (the reader threads),
 * {@code sync} (barriers).
 */
public final class TraceEvents {
    private TraceEvents() {}

    /** An epoch, from its start to the end of its evaluation. */
    public static final TraceKind EPOCH = TraceKind.of("epoch", "train", "epoch");
    /** A phase of an epoch: {@code block1} (training, to the epoch's barrier) or {@code eval}. */
    public static final TraceKind PHASE = TraceKind.of("phase", "train", List.of("phase"), List.of("epoch", "steps"));
    /** One step of the accelerator: waiting for its batch, computing, then the step's barrier. */
    public static final TraceKind STEP = TraceKind.of("step", "train", List.of("phase"), List.of("epoch", "step", "samples"));
    /** The accelerator waiting for a whole batch (DLIO's load time of a step). */
    public static final TraceKind DATA_WAIT = TraceKind.of("data_wait", "train", "epoch", "step");
    /** The emulated computation of a step (none when the step's computation time is 0). */
    public static final TraceKind COMPUTE = TraceKind.of("compute", "train", "epoch", "step");
    /** A barrier with the other ranks: where ({@code start-up}, {@code step}, {@code epoch}, {@code finalize}, ...). */
    public static final TraceKind BARRIER = TraceKind.of("barrier", "sync", List.of("at"), List.of());
    /** A reader thread reading one file: open, storage, decoding, handing batches over. */
    public static final TraceKind FILE = TraceKind.of("read_file", "reader", List.of("file"),
            List.of("rows", "storage_bytes", "decoded_bytes"));
    /** A reader thread waiting for the accelerator to give a batch back (the consumer is the bottleneck). */
    public static final TraceKind CONSUMER_WAIT = TraceKind.of("consumer_wait", "reader", "samples");
    /** Dropping a file from the page cache after reading it ({@code --evict-cache}). */
    public static final TraceKind EVICT = TraceKind.of("evict", "reader", List.of("file"), List.of("resident_after_bytes"));
    /** Writing one file of the dataset ({@code inlay generate}). */
    public static final TraceKind GENERATE = TraceKind.of("generate", "generate", "files", "bytes");
}
