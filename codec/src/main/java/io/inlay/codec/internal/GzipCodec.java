package io.inlay.codec.internal;

import io.inlay.codec.CodecException;
import io.inlay.codec.CodecProvider;
import io.inlay.codec.CompressionCodec;
import io.inlay.codec.Compressor;
import io.inlay.codec.Decompressor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * GZIP (RFC 1952) with {@link Inflater}/{@link Deflater} working directly on the page's
 * buffers. A page may hold several concatenated gzip members; each member's CRC-32 and size
 * trailer is checked. Default level 6 (zlib's default), levels 0 to 9.
 *
 * <pre>
 * member: | 1f 8b | CM=8 | FLG | MTIME(4) | XFL | OS | [extra][name][comment][hcrc] | deflate ... | CRC32(4 LE) | ISIZE(4 LE) |
 * </pre>
 */
public final class GzipCodec implements CodecProvider {
    private static final CompressionCodec CODEC = CompressionCodec.GZIP;
    public static final int DEFAULT_LEVEL = 6;

    private static final int HEADER = 10;
    /** The fixed header of members Inlay writes: deflate, no flags, no time, OS unknown. */
    private static final byte[] MEMBER_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    private static final int TRAILER = 8;
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;
    private static final int FRESERVED = 0xe0;
    /** Attempts in a row that make no progress before the input is declared corrupt. */
    private static final int MAX_STALLS = 4;

    @Override
    public CompressionCodec codec() {
        return CODEC;
    }

    @Override
    public int defaultLevel() {
        return DEFAULT_LEVEL;
    }

    @Override
    public int maxLevel() {
        return 9;
    }

    @Override
    public Decompressor newDecompressor() {
        return new GzipDecompressor();
    }

    @Override
    public Compressor newCompressor(int level) {
        return new GzipCompressor(checkLevel(level));
    }

    private static final class GzipDecompressor implements Decompressor {
        private Inflater inflater;
        private final CRC32 crc = new CRC32();
        private final byte[] probe = new byte[1];

        @Override
        public void decompress(MemorySegment src, MemorySegment dst) throws CodecException {
            ByteBuffer in = Segments.buffer(src, "source").order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer out = Segments.buffer(dst, "destination");
            int srcLen = in.remaining();
            int dstLen = out.remaining();
            if (srcLen == 0 && dstLen == 0) {
                return;
            }
            if (inflater == null) {
                inflater = new Inflater(true);
            }
            int pos = 0;
            int outPos = 0;
            int member = 0;
            // one view of each segment, moved by position/limit: slices would allocate per member
            do {
                pos = skipHeader(in, pos, srcLen, member, src.byteSize(), dstLen);
                inflater.reset();
                in.limit(srcLen).position(pos);
                inflater.setInput(in);
                out.limit(dstLen).position(outPos);
                inflate(out, src.byteSize(), dstLen);
                int produced = out.position() - outPos;
                pos += (int) inflater.getBytesRead();
                if (srcLen - pos < TRAILER) {
                    throw corrupt(src.byteSize(), dstLen, "gzip member " + member + " has no complete trailer");
                }
                crc.reset();
                out.limit(outPos + produced).position(outPos);
                crc.update(out);
                int storedCrc = in.getInt(pos);
                int storedSize = in.getInt(pos + 4);
                if ((int) crc.getValue() != storedCrc) {
                    throw corrupt(src.byteSize(), dstLen, "gzip member " + member + " CRC-32 is "
                            + Integer.toHexString((int) crc.getValue()) + " but its trailer says " + Integer.toHexString(storedCrc));
                }
                if (storedSize != produced) {
                    throw corrupt(src.byteSize(), dstLen, "gzip member " + member + " inflated to " + produced
                            + " bytes but its trailer says " + Integer.toUnsignedString(storedSize));
                }
                pos += TRAILER;
                outPos += produced;
                member++;
                // as GZIPInputStream does, bytes after a member that do not start another member end the data
            } while (srcLen - pos >= HEADER && (in.get(pos) & 0xff) == 0x1f && (in.get(pos + 1) & 0xff) == 0x8b);
            if (outPos != dstLen) {
                throw Segments.sizeMismatch(CODEC, outPos, dstLen);
            }
        }

        private void inflate(ByteBuffer memberOut, long srcSize, int dstLen) throws CodecException {
            int stalls = 0;
            try {
                while (!inflater.finished()) {
                    int n;
                    if (memberOut.hasRemaining()) {
                        n = inflater.inflate(memberOut);
                    } else {
                        // the declared size is reached: the member may end here but not produce more
                        n = inflater.inflate(probe);
                        if (n > 0) {
                            throw corrupt(srcSize, dstLen, "data inflates to more than the declared size");
                        }
                    }
                    if (n > 0) {
                        stalls = 0;
                        continue;
                    }
                    if (inflater.finished()) {
                        break;
                    }
                    if (inflater.needsInput()) {
                        throw corrupt(srcSize, dstLen, "deflate data ends before the member does (truncated)");
                    }
                    if (inflater.needsDictionary()) {
                        throw corrupt(srcSize, dstLen, "deflate data asks for a preset dictionary");
                    }
                    if (++stalls > MAX_STALLS) {
                        throw corrupt(srcSize, dstLen, "deflate data makes no progress");
                    }
                }
            } catch (DataFormatException e) {
                throw corrupt(srcSize, dstLen, e.getMessage());
            }
        }

        private static int skipHeader(ByteBuffer in, int pos, int srcLen, int member, long srcSize, int dstLen)
                throws CodecException {
            if (srcLen - pos < HEADER) {
                throw corrupt(srcSize, dstLen, "gzip member " + member + " header is truncated");
            }
            if ((in.get(pos) & 0xff) != 0x1f || (in.get(pos + 1) & 0xff) != 0x8b) {
                throw corrupt(srcSize, dstLen, "not gzip data (no 1f 8b magic at byte " + pos + ")");
            }
            if (in.get(pos + 2) != 8) {
                throw corrupt(srcSize, dstLen, "gzip compression method " + in.get(pos + 2) + " is not deflate (8)");
            }
            int flags = in.get(pos + 3) & 0xff;
            if ((flags & FRESERVED) != 0) {
                throw corrupt(srcSize, dstLen, "gzip header has reserved flag bits set: " + Integer.toHexString(flags));
            }
            int p = pos + HEADER;
            if ((flags & FEXTRA) != 0) {
                if (srcLen - p < 2) {
                    throw corrupt(srcSize, dstLen, "gzip extra field is truncated");
                }
                int xlen = in.getShort(p) & 0xffff;
                p += 2;
                if (xlen > srcLen - p) {
                    throw corrupt(srcSize, dstLen, "gzip extra field of " + xlen + " bytes runs past the page");
                }
                p += xlen;
            }
            if ((flags & FNAME) != 0) {
                p = skipZeroTerminated(in, p, srcLen, srcSize, dstLen, "file name");
            }
            if ((flags & FCOMMENT) != 0) {
                p = skipZeroTerminated(in, p, srcLen, srcSize, dstLen, "comment");
            }
            if ((flags & FHCRC) != 0) {
                if (srcLen - p < 2) {
                    throw corrupt(srcSize, dstLen, "gzip header CRC is truncated");
                }
                p += 2;
            }
            return p;
        }

        private static int skipZeroTerminated(ByteBuffer in, int p, int srcLen, long srcSize, int dstLen, String what)
                throws CodecException {
            while (p < srcLen) {
                if (in.get(p++) == 0) {
                    return p;
                }
            }
            throw corrupt(srcSize, dstLen, "gzip " + what + " is not terminated");
        }

        private static CodecException corrupt(long srcSize, long dstLen, String reason) {
            return new CodecException(CODEC + " page of " + srcSize + " compressed bytes (declared " + dstLen
                    + " uncompressed) is corrupt: " + reason);
        }

        @Override
        public void close() {
            if (inflater != null) {
                inflater.end();
                inflater = null;
            }
        }
    }

    private static final class GzipCompressor implements Compressor {
        private final int level;
        private Deflater deflater;
        private final CRC32 crc = new CRC32();

        GzipCompressor(int level) {
            this.level = level;
        }

        @Override
        public long maxCompressedLength(long n) {
            // zlib's deflateBound for the default window and memory level, plus the gzip wrapper
            return n + (n >> 12) + (n >> 14) + (n >> 25) + 13 + HEADER + TRAILER + 64;
        }

        @Override
        public long compress(MemorySegment src, MemorySegment dst) throws CodecException {
            ByteBuffer in = Segments.buffer(src, "source");
            ByteBuffer out = Segments.buffer(dst, "destination").order(ByteOrder.LITTLE_ENDIAN);
            int srcLen = in.remaining();
            if (out.remaining() < HEADER + TRAILER) {
                throw new CodecException(CODEC + " destination of " + dst.byteSize() + " bytes is too small");
            }
            if (deflater == null) {
                deflater = new Deflater(level, true);
            }
            deflater.reset();
            out.put(0, MEMBER_HEADER);
            // views moved by position/limit rather than sliced, so a page allocates no more views
            out.limit(out.capacity() - TRAILER).position(HEADER);
            deflater.setInput(in);
            deflater.finish();
            while (!deflater.finished()) {
                int n = deflater.deflate(out);
                if (n == 0 && !out.hasRemaining() && !deflater.finished()) {
                    throw new CodecException(CODEC + " destination of " + dst.byteSize() + " bytes is too small");
                }
            }
            int bodyLen = out.position() - HEADER;
            out.clear();
            crc.reset();
            crc.update(in.clear());
            out.putInt(HEADER + bodyLen, (int) crc.getValue());
            out.putInt(HEADER + bodyLen + 4, srcLen);
            return HEADER + bodyLen + TRAILER;
        }

        @Override
        public void close() {
            if (deflater != null) {
                deflater.end();
                deflater = null;
            }
        }
    }
}
