package io.accountsecurity.password;

import java.util.Arrays;

import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * The memory-hard part of Argon2id, version 0x13 (RFC 9106 section 3), on one flat {@code long[]} that each thread
 * keeps from one hash to the next. BLAKE2b comes from Bouncy Castle.
 *
 * <p>Why not Bouncy Castle's {@code Argon2BytesGenerator}: it allocates a new {@code Block} object (1 KiB of longs)
 * for each of the thousands of blocks of every hash, zeroes them when done, and leaves them to the garbage collector.
 * In a service that hashes two passwords at a time on a small heap, each hash then walks through fresh memory that
 * the collector copies and reclaims (in the service, 65-66 ms of CPU per production-cost login against 49-56 ms with
 * this class, measured back to back). Here a pool thread fills the same array every time (the first pass overwrites
 * each block before any block reads it, so nothing of one hash is read by the next) and wipes it after use, as the
 * reference implementation does. The caller says how much memory a thread may keep (the service's configured cost): a hash
 * of a larger, older cost, verified once before it is replaced, gets memory of its own for that hash only.
 *
 * <p>Passes over the lanes run one after the other in the calling thread (the service hashes one password per core,
 * so lanes in parallel would only compete for the same cores); the result is the same as with parallel lanes.
 */
final class Argon2Engine {

    private static final int BLOCK_LONGS = 128;
    private static final int BLOCK_BYTES = BLOCK_LONGS * 8;
    private static final int SYNC_POINTS = 4;
    private static final int VERSION = 0x13;
    private static final int TYPE_ID = 2;

    /**
     * The word indices (a, b, c, d) of the 128 mixes of the compression function, in order: the permutation P on
     * each of the 8 rows of 16 words, then on each of the 8 columns of 8 pairs of words.
     */
    private static final int[] MIXES = mixes();

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * The per-thread state: the blocks, and five blocks of working space (the compression function's two, the
     * address block, its input and the zero block).
     */
    private static final class Scratch {
        long[] memory = new long[0];
        final long[] r = new long[BLOCK_LONGS];
        final long[] z = new long[BLOCK_LONGS];
        final long[] address = new long[BLOCK_LONGS];
        final long[] input = new long[BLOCK_LONGS];
        final long[] zero = new long[BLOCK_LONGS];
    }

    private Argon2Engine() {
    }

    private static int[] mixes() {
        int[] mixes = new int[16 * 8 * 4];
        int n = 0;
        for (int p = 0; p < 16; p++) {
            // The 16 words that permutation p works on: row p, or column p - 8 (two adjacent words per row).
            int[] w = new int[16];
            for (int k = 0; k < 16; k++) {
                w[k] = p < 8 ? 16 * p + k : 2 * (p - 8) + 16 * (k / 2) + k % 2;
            }
            int[][] order = { { 0, 4, 8, 12 }, { 1, 5, 9, 13 }, { 2, 6, 10, 14 }, { 3, 7, 11, 15 },
                    { 0, 5, 10, 15 }, { 1, 6, 11, 12 }, { 2, 7, 8, 13 }, { 3, 4, 9, 14 } };
            for (int[] g : order) {
                for (int k : g) {
                    mixes[n++] = w[k];
                }
            }
        }
        return mixes;
    }

    /**
     * The Argon2id tag of a password.
     *
     * @param secret the optional secret value K ({@code null} for none)
     * @param associated the optional associated data X ({@code null} for none)
     * @param keepKib the memory, in KiB, that the calling thread may keep for its next hashes
     */
    static byte[] hash(byte[] password, byte[] salt, byte[] secret, byte[] associated, int memoryKib, int iterations,
            int lanes, int tagLength, int keepKib) {
        int segmentLength = memoryKib / (SYNC_POINTS * lanes);
        int laneLength = segmentLength * SYNC_POINTS;
        int blocks = laneLength * lanes;
        Scratch scratch = SCRATCH.get();
        long[] memory = scratch.memory.length >= blocks * BLOCK_LONGS ? scratch.memory : new long[blocks * BLOCK_LONGS];
        if (memory != scratch.memory && blocks <= keepKib) {
            scratch.memory = memory;
        }
        try {
            byte[] h0 = initialHash(password, salt, secret, associated, memoryKib, iterations, lanes, tagLength);
            byte[] blockBytes = new byte[BLOCK_BYTES];
            for (int lane = 0; lane < lanes; lane++) {
                for (int column = 0; column < 2; column++) {
                    longHash(BLOCK_BYTES, blockBytes, h0, column, lane);
                    load(blockBytes, memory, (lane * laneLength + column) * BLOCK_LONGS);
                }
            }
            Arrays.fill(h0, (byte) 0);
            Fill fill = new Fill(memory, scratch, lanes, laneLength, segmentLength, iterations, blocks);
            for (int pass = 0; pass < iterations; pass++) {
                for (int slice = 0; slice < SYNC_POINTS; slice++) {
                    for (int lane = 0; lane < lanes; lane++) {
                        fill.segment(pass, lane, slice);
                    }
                }
            }
            long[] last = scratch.r;
            System.arraycopy(memory, (laneLength - 1) * BLOCK_LONGS, last, 0, BLOCK_LONGS);
            for (int lane = 1; lane < lanes; lane++) {
                int offset = (lane * laneLength + laneLength - 1) * BLOCK_LONGS;
                for (int i = 0; i < BLOCK_LONGS; i++) {
                    last[i] ^= memory[offset + i];
                }
            }
            store(last, blockBytes);
            byte[] tag = new byte[tagLength];
            longHash(tagLength, tag, blockBytes);
            Arrays.fill(blockBytes, (byte) 0);
            return tag;
        } finally {
            Arrays.fill(memory, 0, blocks * BLOCK_LONGS, 0L);
            Arrays.fill(scratch.r, 0L);
            Arrays.fill(scratch.z, 0L);
        }
    }

    /** H0 of RFC 9106 section 3.2, step 1. */
    private static byte[] initialHash(byte[] password, byte[] salt, byte[] secret, byte[] associated, int memoryKib,
            int iterations, int lanes, int tagLength) {
        Blake2bDigest digest = new Blake2bDigest(512);
        update(digest, lanes);
        update(digest, tagLength);
        update(digest, memoryKib);
        update(digest, iterations);
        update(digest, VERSION);
        update(digest, TYPE_ID);
        for (byte[] field : new byte[][] { password, salt, secret, associated }) {
            byte[] value = field == null ? new byte[0] : field;
            update(digest, value.length);
            digest.update(value, 0, value.length);
        }
        byte[] h0 = new byte[64];
        digest.doFinal(h0, 0);
        return h0;
    }

    /** H' of RFC 9106 section 3.3 over the concatenation of the inputs and the little-endian integers. */
    private static void longHash(int length, byte[] out, byte[] input, int... integers) {
        byte[] v = new byte[64];
        Blake2bDigest digest = new Blake2bDigest(Math.min(length, 64) * 8);
        update(digest, length);
        digest.update(input, 0, input.length);
        for (int integer : integers) {
            update(digest, integer);
        }
        if (length <= 64) {
            digest.doFinal(out, 0);
            return;
        }
        digest.doFinal(v, 0);
        System.arraycopy(v, 0, out, 0, 32);
        int position = 32;
        Blake2bDigest full = new Blake2bDigest(512);
        while (length - position > 64) {
            full.update(v, 0, 64);
            full.doFinal(v, 0);
            System.arraycopy(v, 0, out, position, 32);
            position += 32;
        }
        Blake2bDigest tail = new Blake2bDigest((length - position) * 8);
        tail.update(v, 0, 64);
        tail.doFinal(out, position);
        Arrays.fill(v, (byte) 0);
    }

    private static void update(Blake2bDigest digest, int value) {
        digest.update((byte) value);
        digest.update((byte) (value >>> 8));
        digest.update((byte) (value >>> 16));
        digest.update((byte) (value >>> 24));
    }

    private static void load(byte[] bytes, long[] memory, int offset) {
        for (int i = 0; i < BLOCK_LONGS; i++) {
            long value = 0;
            for (int b = 7; b >= 0; b--) {
                value = (value << 8) | (bytes[i * 8 + b] & 0xFF);
            }
            memory[offset + i] = value;
        }
    }

    private static void store(long[] block, byte[] bytes) {
        for (int i = 0; i < BLOCK_LONGS; i++) {
            long value = block[i];
            for (int b = 0; b < 8; b++) {
                bytes[i * 8 + b] = (byte) (value >>> (8 * b));
            }
        }
    }

    /** Filling of the memory, segment by segment (RFC 9106 sections 3.2 and 3.4). */
    private static final class Fill {
        private final long[] memory;
        private final Scratch scratch;
        private final int lanes;
        private final int laneLength;
        private final int segmentLength;
        private final int iterations;
        private final int blocks;

        Fill(long[] memory, Scratch scratch, int lanes, int laneLength, int segmentLength, int iterations,
                int blocks) {
            this.memory = memory;
            this.scratch = scratch;
            this.lanes = lanes;
            this.laneLength = laneLength;
            this.segmentLength = segmentLength;
            this.iterations = iterations;
            this.blocks = blocks;
        }

        void segment(int pass, int lane, int slice) {
            // Argon2id: data-independent addresses in the first half of the first pass, data-dependent after.
            boolean independent = pass == 0 && slice < SYNC_POINTS / 2;
            long[] input = scratch.input;
            long[] address = scratch.address;
            if (independent) {
                Arrays.fill(input, 0L);
                input[0] = pass;
                input[1] = lane;
                input[2] = slice;
                input[3] = blocks;
                input[4] = iterations;
                input[5] = TYPE_ID;
            }
            int start = pass == 0 && slice == 0 ? 2 : 0;
            if (independent && start != 0) {
                nextAddresses(input, address);
            }
            int current = lane * laneLength + slice * segmentLength + start;
            for (int index = start; index < segmentLength; index++, current++) {
                // The block before; before a lane's first block comes its last.
                int previous = current % laneLength == 0 ? current + laneLength - 1 : current - 1;
                long pseudoRandom;
                if (independent) {
                    if (index % BLOCK_LONGS == 0) {
                        nextAddresses(input, address);
                    }
                    pseudoRandom = address[index % BLOCK_LONGS];
                } else {
                    pseudoRandom = memory[previous * BLOCK_LONGS];
                }
                int refLane = pass == 0 && slice == 0 ? lane : (int) ((pseudoRandom >>> 32) % lanes);
                int refIndex = referenceIndex(pass, slice, index, pseudoRandom & 0xFFFFFFFFL, refLane == lane);
                int reference = refLane * laneLength + refIndex;
                compress(memory, previous * BLOCK_LONGS, memory, reference * BLOCK_LONGS, memory,
                        current * BLOCK_LONGS, pass > 0);
            }
        }

        /** Position in the reference lane (RFC 9106 section 3.4.2). */
        private int referenceIndex(int pass, int slice, int index, long j1, boolean sameLane) {
            int area;
            if (pass == 0) {
                if (slice == 0) {
                    area = index - 1;
                } else if (sameLane) {
                    area = slice * segmentLength + index - 1;
                } else {
                    area = slice * segmentLength + (index == 0 ? -1 : 0);
                }
            } else if (sameLane) {
                area = laneLength - segmentLength + index - 1;
            } else {
                area = laneLength - segmentLength + (index == 0 ? -1 : 0);
            }
            long x = (j1 * j1) >>> 32;
            long y = (area * x) >>> 32;
            long relative = area - 1 - y;
            int startPosition = pass != 0 && slice != SYNC_POINTS - 1 ? (slice + 1) * segmentLength : 0;
            return (int) ((startPosition + relative) % laneLength);
        }

        /** The next 128 data-independent addresses: G(0, G(0, input)) after incrementing the counter. */
        private void nextAddresses(long[] input, long[] address) {
            input[6]++;
            long[] zero = scratch.zero;
            compress(zero, 0, input, 0, address, 0, false);
            compress(zero, 0, address, 0, address, 0, false);
        }

        /**
         * The compression function G (RFC 9106 section 3.5): {@code out = G(x, y)}, or {@code out ^= G(x, y)} when
         * {@code xorInto} (passes after the first, version 0x13). {@code out} may be {@code y}.
         */
        private void compress(long[] x, int xOffset, long[] y, int yOffset, long[] out, int outOffset,
                boolean xorInto) {
            long[] r = scratch.r;
            long[] z = scratch.z;
            for (int i = 0; i < BLOCK_LONGS; i++) {
                long value = x[xOffset + i] ^ y[yOffset + i];
                r[i] = value;
                z[i] = value;
            }
            for (int i = 0; i < MIXES.length; i += 4) {
                mix(z, MIXES[i], MIXES[i + 1], MIXES[i + 2], MIXES[i + 3]);
            }
            if (xorInto) {
                for (int i = 0; i < BLOCK_LONGS; i++) {
                    out[outOffset + i] ^= z[i] ^ r[i];
                }
            } else {
                for (int i = 0; i < BLOCK_LONGS; i++) {
                    out[outOffset + i] = z[i] ^ r[i];
                }
            }
        }
    }

    /**
     * BLAKE2b's round function with multiplications (GB of RFC 9106 section 3.6) on four words of a block. Called
     * from one loop over {@link #MIXES} rather than through a method per permutation: C2 then inlines it in every
     * JVM launch, where a permutation method of eight calls was sometimes compiled on its own first and then not
     * inlined into the compression function (a call per permutation, 16 per block).
     */
    private static void mix(long[] v, int a, int b, int c, int d) {
        long va = v[a];
        long vb = v[b];
        long vc = v[c];
        long vd = v[d];
        va = va + vb + 2 * (va & 0xFFFFFFFFL) * (vb & 0xFFFFFFFFL);
        vd = Long.rotateRight(vd ^ va, 32);
        vc = vc + vd + 2 * (vc & 0xFFFFFFFFL) * (vd & 0xFFFFFFFFL);
        vb = Long.rotateRight(vb ^ vc, 24);
        va = va + vb + 2 * (va & 0xFFFFFFFFL) * (vb & 0xFFFFFFFFL);
        vd = Long.rotateRight(vd ^ va, 16);
        vc = vc + vd + 2 * (vc & 0xFFFFFFFFL) * (vd & 0xFFFFFFFFL);
        vb = Long.rotateRight(vb ^ vc, 63);
        v[a] = va;
        v[b] = vb;
        v[c] = vc;
        v[d] = vd;
    }
}
