package io.inlay.engine.internal.decode;

import io.inlay.engine.internal.DecodeException;
import io.inlay.engine.internal.memory.BinaryOutput;
import io.inlay.engine.internal.memory.Layouts;
import io.inlay.engine.internal.rle.RleBitPackedDecoder;
import java.lang.foreign.MemorySegment;

/**
 * PLAIN_DICTIONARY / RLE_DICTIONARY data pages: one byte of bit width, then dictionary indices in
 * the RLE / bit-packed hybrid; each index is checked against the dictionary's size.
 */
public final class AnyDictionaryDecoder extends ValueDecoder {
    private static final int BATCH = 1024;
    private final Dictionary dictionary;
    private final RleBitPackedDecoder rle = new RleBitPackedDecoder();
    private final int[] indices = new int[BATCH];

    public AnyDictionaryDecoder(Dictionary dictionary) {
        this.dictionary = dictionary;
    }

    @Override
    public void init(MemorySegment segment, long offset, long length, int count) throws DecodeException {
        if (!dictionary.isLoaded()) {
            throw new DecodeException("a dictionary-encoded data page comes before any dictionary page");
        }
        if (length < 1) {
            if (count == 0) {
                rle.init(segment, offset, 0, 0);
                return;
            }
            throw shortData("the dictionary index bit width", 1, length);
        }
        int width = segment.get(Layouts.BYTE, offset) & 0xff;
        rle.init(segment, offset + 1, length - 1, width);
    }

    private int fill(int want, int done, int total) throws DecodeException {
        int got = rle.readInts(indices, 0, want);
        if (got < want) {
            throw new DecodeException("dictionary indices end after " + (done + got) + " of " + total + " values");
        }
        int size = dictionary.size();
        for (int i = 0; i < got; i++) {
            if (Integer.compareUnsigned(indices[i], size) >= 0) {
                throw new DecodeException("dictionary index " + Integer.toUnsignedString(indices[i])
                        + " is outside the dictionary of " + size + " entries");
            }
        }
        return got;
    }

    @Override
    public void readFixed(MemorySegment dst, long dstOffset, int n) throws DecodeException {
        int width = dictionary.width();
        MemorySegment dict = dictionary.values();
        int done = 0;
        while (done < n) {
            int got = fill(Math.min(BATCH, n - done), done, n);
            long o = dstOffset + (long) done * width;
            switch (width) {
                case 4 -> {
                    for (int i = 0; i < got; i++) {
                        dst.set(Layouts.LE_INT, o + 4L * i, dict.get(Layouts.LE_INT, 4L * indices[i]));
                    }
                }
                case 8 -> {
                    for (int i = 0; i < got; i++) {
                        dst.set(Layouts.LE_LONG, o + 8L * i, dict.get(Layouts.LE_LONG, 8L * indices[i]));
                    }
                }
                case 2 -> {
                    for (int i = 0; i < got; i++) {
                        dst.set(Layouts.LE_SHORT, o + 2L * i, dict.get(Layouts.LE_SHORT, 2L * indices[i]));
                    }
                }
                default -> {
                    for (int i = 0; i < got; i++) {
                        MemorySegment.copy(dict, (long) width * indices[i], dst, o + (long) width * i, width);
                    }
                }
            }
            done += got;
        }
    }

    @Override
    public void readBinary(BinaryOutput out, int n) throws DecodeException {
        MemorySegment data = dictionary.values();
        int done = 0;
        while (done < n) {
            int got = fill(Math.min(BATCH, n - done), done, n);
            for (int i = 0; i < got; i++) {
                int start = dictionary.start(indices[i]);
                out.append(data, start, dictionary.end(indices[i]) - start);
            }
            done += got;
        }
    }

    @Override
    public void skip(int n) throws DecodeException {
        int done = 0;
        while (done < n) {
            done += fill(Math.min(BATCH, n - done), done, n);
        }
    }
}
