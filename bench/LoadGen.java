import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Closed-loop HTTP/1.1 load generator for the account-security service: N platform threads, each with one keep-alive
 * connection of its own (a plain socket, so the generator spends little CPU per request), every answer checked for its
 * status code and its JSON "status" field, latencies recorded one by one (percentiles are exact, not bucketed).
 *
 * TOTP codes: each (account, time step) pair is used at most once and, per account, in increasing step order, because
 * the service accepts a code once per account and step (steps now-1, now, now+1; the account's last used step only
 * moves forward). Each account belongs to one thread for the length of a run, so its requests never overtake each
 * other. The generator keeps the last step it used per account across the runs of one process: one process runs
 * every scenario of one service instance ("all" mode).
 *
 * Usage: java bench/LoadGen.java key=value ...   (see Config below; run.sh and load.sh pass them)
 */
public class LoadGen {

    // ---------------------------------------------------------------------------------------------------------------
    // Configuration

    static final class Config {
        String host = "127.0.0.1";
        int port = 8080;
        String accountsFile;
        String password;
        long pid;
        int clkTck = 100;
        List<String> scenarios = List.of("password", "verify", "login", "me", "refresh", "jwks");
        int[] conns = { 1, 8, 32 };
        int duration = 20;
        int warmup = 5;
        String cost = "?";
        String results;
        String failuresFile;
        // resilience mode
        /** An administrator's access token with amr [pwd, otp], as administration requires (run.sh enrolls it). */
        String adminToken;
        String enrolledFile;
        int enrollers = 2;
        int jitWarmup = 0;
        boolean check = true;
        String mode = "all";
        int load = 60;
        String stepsFile;
        /** Argon2 memory (KiB), iterations, parallelism: time the hash beside each password and login run. */
        int[] hash;

        static Config parse(String[] args) {
            Config c = new Config();
            for (String arg : args) {
                int eq = arg.indexOf('=');
                String k = arg.substring(0, eq), v = arg.substring(eq + 1);
                switch (k) {
                    case "host" -> c.host = v;
                    case "port" -> c.port = Integer.parseInt(v);
                    case "accounts" -> c.accountsFile = v;
                    case "password" -> c.password = v;
                    case "pid" -> c.pid = Long.parseLong(v);
                    case "clk_tck" -> c.clkTck = Integer.parseInt(v);
                    case "scenarios" -> c.scenarios = List.of(v.split(","));
                    case "conns" -> c.conns = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                    case "duration" -> c.duration = Integer.parseInt(v);
                    case "warmup" -> c.warmup = Integer.parseInt(v);
                    case "cost" -> c.cost = v;
                    case "results" -> c.results = v;
                    case "failures" -> c.failuresFile = v;
                    case "admin_token" -> c.adminToken = v;
                    case "enrolled" -> c.enrolledFile = v;
                    case "enrollers" -> c.enrollers = Integer.parseInt(v);
                    case "jit_warmup" -> c.jitWarmup = Integer.parseInt(v);
                    case "check" -> c.check = !v.equals("0");
                    case "mode" -> c.mode = v;
                    case "load" -> c.load = Integer.parseInt(v);
                    case "steps" -> c.stepsFile = v;
                    case "hash" -> c.hash = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                    default -> throw new IllegalArgumentException("unknown option " + k);
                }
            }
            return c;
        }
    }

    static Config cfg;

    // ---------------------------------------------------------------------------------------------------------------
    // Accounts and the (account, step) allocation

    static final int PERIOD_MS = 30_000;
    /**
     * A code is chosen, right before it is sent, for a step that the server still accepts MARGIN_MS from now:
     * step >= step(now + margin) - 1, covering the verify request's own latency. Any step <= step(now) + 1 is accepted
     * now and stays accepted later. An account is picked (before the password step, in the login scenario) only when
     * it has such a step now, i.e. its last used step <= step(now); that stays true as time passes.
     */
    static final long MARGIN_MS = 5_000;

    static String[] tfaName;
    static byte[][] tfaSecret;
    static long[] tfaLast; // last step this process used per 2FA account; the database starts at -1
    static long[] tfaAccepted; // last step the service accepted (200) per 2FA account
    static int tfaBase; // rotation: the next run starts with the accounts least recently used
    static String[] plainName;

    static long stepAt(long millis) {
        return Math.floorDiv(millis, PERIOD_MS);
    }

    static void loadAccounts(String file) throws IOException {
        List<String> tfa = new ArrayList<>();
        List<byte[]> secrets = new ArrayList<>();
        List<String> plain = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(file))) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            if (f[3].equals("1")) {
                tfa.add(f[0]);
                secrets.add(HexFormat.of().parseHex(f[2]));
            } else {
                plain.add(f[0]);
            }
        }
        tfaName = tfa.toArray(String[]::new);
        tfaSecret = secrets.toArray(byte[][]::new);
        tfaLast = new long[tfaName.length];
        Arrays.fill(tfaLast, -1);
        tfaAccepted = new long[tfaName.length];
        Arrays.fill(tfaAccepted, -1);
        plainName = plain.toArray(String[]::new);
    }

    /**
     * One thread's share of a range of the 2FA accounts in a run: positions p = offset + t + k*T (k = 0, 1, ...) of
     * the range [origin, origin + limit), taken modulo the number of accounts.
     */
    static final class Partition {
        final int t, threads, limit, origin, offset;
        int k;

        Partition(int t, int threads, int limit, int origin, int offset) {
            this.t = t;
            this.threads = threads;
            this.limit = limit;
            this.origin = origin;
            this.offset = offset;
        }

        int size() {
            return t < limit ? (limit - t + threads - 1) / threads : 0;
        }

        int next() {
            if (t + k * threads >= limit) {
                k = 0;
            }
            int idx = (int) ((origin + ((long) offset + t + (long) k * threads) % limit) % tfaName.length);
            k++;
            return idx;
        }

        /**
         * The next account of this partition that has a usable step now, with that step reserved and its code; null
         * when none has.
         */
        Code nextCode(Mac mac) {
            int n = size();
            for (int tries = 0; tries < n; tries++) {
                // An account whose last step is still ahead of now has no step to try (no code is computed for it).
                Code code = takeStep(mac, next(), System.currentTimeMillis());
                if (code != null) {
                    return code;
                }
            }
            return null;
        }
    }

    /** A TOTP code about to be sent: the account, its step (reserved) and the code's six digits. */
    record Code(int idx, long step, String digits) {
        String body() {
            return "{\"code\":\"" + digits + "\"}";
        }

        String request() {
            return "POST /api/v1/auth/login/verify (" + tfaName[idx] + ", step " + step + ") " + body();
        }
    }

    /**
     * Reserves the first step the account can use at {@code now}, or answers null when it has none. A step whose code
     * equals the code of one of the two steps after it is passed over: the service records the latest step of its
     * window whose code matches what it was sent, so it could record that later step, then refuse it as already used
     * (one step in ~500,000; seen once, at 2,150 verifies a second).
     */
    static Code takeStep(Mac mac, int idx, long now) {
        for (long step = Math.max(tfaLast[idx] + 1, stepAt(now + MARGIN_MS) - 1); step <= stepAt(now) + 1; step++) {
            String digits = totp(mac, tfaSecret[idx], step);
            if (!digits.equals(totp(mac, tfaSecret[idx], step + 1))
                    && !digits.equals(totp(mac, tfaSecret[idx], step + 2))) {
                tfaLast[idx] = step;
                return new Code(idx, step, digits);
            }
        }
        return null;
    }

    /** RFC 6238 TOTP, HMAC-SHA1, 6 digits, 30-second steps: what an authenticator app computes. */
    static String totp(Mac mac, byte[] secret, long step) {
        try {
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
        } catch (java.security.InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
        byte[] h = mac.doFinal(java.nio.ByteBuffer.allocate(8).putLong(step).array());
        int o = h[h.length - 1] & 0x0f;
        int bin = ((h[o] & 0x7f) << 24) | ((h[o + 1] & 0xff) << 16) | ((h[o + 2] & 0xff) << 8) | (h[o + 3] & 0xff);
        return String.format("%06d", bin % 1_000_000);
    }

    static Mac newMac() {
        try {
            return Mac.getInstance("HmacSHA1");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // A minimal HTTP/1.1 client: one socket, keep-alive, Content-Length or chunked answers.

    record Resp(int status, String body) {
    }

    static final class Http implements AutoCloseable {
        private final String host;
        private final int port;
        private volatile Socket socket;
        private InputStream in;
        private OutputStream out;
        private final byte[] line = new byte[8192];
        private String accept = "application/json";

        Http(String host, int port) {
            this.host = host;
            this.port = port;
        }

        Resp get(String path, String bearer) throws IOException {
            return send("GET", path, bearer, null);
        }

        /** As a JWKS client such as Nimbus JOSE asks for it. */
        Resp getJwks() throws IOException {
            accept = "application/jwk-set+json, application/json";
            try {
                return send("GET", "/.well-known/jwks.json", null, null);
            } finally {
                accept = "application/json";
            }
        }

        Resp post(String path, String bearer, String json) throws IOException {
            return send("POST", path, bearer, json);
        }

        Resp send(String method, String path, String bearer, String json) throws IOException {
            try {
                return exchange(method, path, bearer, json);
            } catch (IOException e) {
                close();
                throw e;
            }
        }

        private Resp exchange(String method, String path, String bearer, String json) throws IOException {
            if (socket == null) {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(60_000);
                socket.connect(new InetSocketAddress(host, port), 10_000);
                in = new BufferedInputStream(socket.getInputStream(), 16384);
                out = new BufferedOutputStream(socket.getOutputStream(), 8192);
            }
            StringBuilder h = new StringBuilder(200 + (bearer == null ? 0 : bearer.length()));
            h.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host).append(':')
                    .append(port).append("\r\nAccept: ").append(accept).append("\r\n");
            if (bearer != null) {
                h.append("Authorization: Bearer ").append(bearer).append("\r\n");
            }
            byte[] body = json == null ? null : json.getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                h.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
            }
            h.append("\r\n");
            out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();

            String status = readLine();
            if (status == null) {
                throw new EOFException("connection closed before the answer");
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false, close = false;
            for (String header; !(header = readLine()).isEmpty();) {
                int colon = header.indexOf(':');
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close");
                    default -> { }
                }
            }
            byte[] content;
            if (chunked) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                while (true) {
                    String size = readLine();
                    int semi = size.indexOf(';');
                    int n = Integer.parseInt((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                    if (n == 0) {
                        while (!readLine().isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    buf.write(in.readNBytes(n));
                    readLine();
                }
                content = buf.toByteArray();
            } else if (length >= 0) {
                content = in.readNBytes((int) length);
                if (content.length != length) {
                    throw new EOFException("short body");
                }
            } else if (code == 204 || code == 304) {
                content = new byte[0];
            } else {
                content = in.readAllBytes();
                close = true;
            }
            if (close) {
                close();
            }
            return new Resp(code, new String(content, StandardCharsets.UTF_8));
        }

        private String readLine() throws IOException {
            int n = 0;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    if (n == 0) {
                        return null;
                    }
                    throw new EOFException("truncated line");
                }
                if (b == '\n') {
                    break;
                }
                if (n < line.length) {
                    line[n++] = (byte) b;
                }
            }
            if (n > 0 && line[n - 1] == '\r') {
                n--;
            }
            return new String(line, 0, n, StandardCharsets.ISO_8859_1);
        }

        /** From another thread: ends the exchange in progress (its thread sees an IOException). */
        void abort() {
            Socket s = socket;
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
            socket = null;
        }
    }

    static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"");

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    static String statusOf(Resp r) {
        Matcher m = STATUS.matcher(r.body());
        return m.find() ? m.group(1) : null;
    }

    static String loginBody(String username) {
        return "{\"username\":\"" + username + "\",\"password\":\"" + cfg.password + "\"}";
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Failures: counted, and the first few kept with their request and answer.

    static final class Failure extends Exception {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    static final ConcurrentLinkedQueue<String> failureSamples = new ConcurrentLinkedQueue<>();
    static final AtomicInteger failureSampleCount = new AtomicInteger();

    static Failure fail(String what, String request, Resp r) {
        String message = what + ": " + request + " -> " + (r == null ? "no answer"
                : r.status() + " " + (r.body().length() > 400 ? r.body().substring(0, 400) + "..." : r.body()));
        return new Failure(message);
    }

    static void sample(String scenario, int conns, String message) {
        if (failureSampleCount.incrementAndGet() <= 20) {
            String line = "[" + cfg.cost + " " + scenario + " c=" + conns + "] " + message;
            failureSamples.add(line);
            System.err.println("FAILURE " + line);
        }
    }

    /** A success: 200 and the expected JSON "status" (null: any 200 whose body contains mustContain). */
    static Resp expect(Resp r, String request, String status, String mustContain) throws Failure {
        if (r.status() != 200) {
            throw fail("unexpected status", request, r);
        }
        if (status != null && !status.equals(statusOf(r))) {
            throw fail("unexpected \"status\"", request, r);
        }
        if (mustContain != null && !r.body().contains(mustContain)) {
            throw fail("unexpected body", request, r);
        }
        return r;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Scenarios

    /** What one thread does per operation. Returns normally on success; throws Failure or IOException otherwise. */
    interface Op {
        void run() throws Failure, IOException;
    }

    /** Per-thread state handed to a scenario's operation factory. */
    static final class Worker {
        final int t, threads;
        final Http http = new Http(cfg.host, cfg.port);
        final Mac mac = newMac();
        Partition partition;
        int plainCursor;

        Worker(int t, int threads) {
            this.t = t;
            this.threads = threads;
        }
    }

    static final class StarvedException extends IOException {
        StarvedException() {
            super("harness: no (account, time step) pair left in this thread's share: seed more 2FA accounts");
        }
    }

    // mfa tokens gathered before a verify run (index = 2FA account), access tokens for /me
    static String[] mfaTokens;
    static int verifyLimit, verifyOrigin, verifyOffset;
    static long verifyGatheredAt;
    static String[] accessTokens;
    /** One session's first refresh token per connection of the refresh scenario. */
    static String[] refreshTokens;
    static int lastPasswordRate = -1;

    static Op scenario(String name, Worker w) {
        switch (name) {
            case "password": {
                w.partition = new Partition(w.t, w.threads, tfaName.length, tfaBase, 0);
                return () -> {
                    int idx = w.partition.next();
                    String body = loginBody(tfaName[idx]);
                    expect(w.http.post("/api/v1/auth/login", null, body), "POST /api/v1/auth/login " + body,
                            "MFA_REQUIRED", "\"mfa_token\"");
                };
            }
            case "verify": {
                w.partition = new Partition(w.t, w.threads, verifyLimit, verifyOrigin, verifyOffset);
                return () -> {
                    Code code = w.partition.nextCode(w.mac);
                    if (code == null) {
                        throw new StarvedException();
                    }
                    expect(w.http.post("/api/v1/auth/login/verify", mfaTokens[code.idx()], code.body()),
                            code.request(), "AUTHENTICATED", "\"access_token\"");
                    tfaAccepted[code.idx()] = code.step();
                };
            }
            case "login": {
                w.partition = new Partition(w.t, w.threads, tfaName.length, tfaBase, 0);
                return () -> {
                    // The step is reserved before the password step: MARGIN_MS covers both requests.
                    Code code = w.partition.nextCode(w.mac);
                    if (code == null) {
                        throw new StarvedException();
                    }
                    String body = loginBody(tfaName[code.idx()]);
                    Resp first = expect(w.http.post("/api/v1/auth/login", null, body),
                            "POST /api/v1/auth/login " + body, "MFA_REQUIRED", "\"mfa_token\"");
                    expect(w.http.post("/api/v1/auth/login/verify", field(first.body(), "mfa_token"), code.body()),
                            code.request(), "AUTHENTICATED", "\"access_token\"");
                    tfaAccepted[code.idx()] = code.step();
                };
            }
            case "me": {
                String token = accessTokens[w.t % accessTokens.length];
                return () -> expect(w.http.get("/api/v1/me", token), "GET /api/v1/me", null, "\"two_factor\"");
            }
            case "refresh": {
                // Each connection refreshes its own session, with the refresh token the last answer gave.
                String[] current = { refreshTokens[w.t % refreshTokens.length] };
                return () -> {
                    Resp r = expect(w.http.post("/api/v1/auth/refresh", null,
                            "{\"refresh_token\":\"" + current[0] + "\"}"), "POST /api/v1/auth/refresh",
                            "AUTHENTICATED", "\"refresh_token\"");
                    current[0] = field(r.body(), "refresh_token");
                };
            }
            case "jwks":
                return () -> expect(w.http.getJwks(), "GET /.well-known/jwks.json", null, "\"keys\"");
            default:
                throw new IllegalArgumentException("unknown scenario " + name);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // /proc readings

    static long cpuTicks(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** utime + stime of every PostgreSQL process (backends that exited during the run are missed). */
    static long postgresTicks() {
        long sum = 0;
        java.io.File[] procs = new java.io.File("/proc").listFiles((d, n) -> n.chars().allMatch(Character::isDigit));
        if (procs == null) {
            return 0;
        }
        for (java.io.File p : procs) {
            try {
                String comm = Files.readString(Path.of(p.getPath(), "comm")).trim();
                if (comm.equals("postgres") || comm.startsWith("postgres")) {
                    sum += cpuTicks(p.getName());
                }
            } catch (IOException | RuntimeException ignored) {
                // gone
            }
        }
        return sum;
    }

    /** Busy ticks of the whole machine (all cores): user, nice, system, irq, softirq, steal. */
    static long machineBusyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]) + Long.parseLong(f[8]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static long statusKb(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // gone
        }
        return -1;
    }

    /** Resets VmHWM (peak RSS) to the current RSS, so that each run reports its own peak. */
    static boolean resetPeakRss(long pid) {
        try {
            Files.writeString(Path.of("/proc/" + pid + "/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // One measured run: warm-up, then `duration` seconds counted.

    static final class Recorder {
        long[] lat = new long[1024];
        int n;
        long okMeasured, failed;

        void add(long nanos) {
            if (n == lat.length) {
                lat = Arrays.copyOf(lat, n * 2);
            }
            lat[n++] = nanos;
        }
    }

    record Row(String cost, String scenario, int conns, double okPerSec, double p50, double p90, double p99,
            long failures, double cpuMsPerOp, long peakRssKb, double pgMsPerOp, double genMsPerOp, double otherCores,
            long ops, String note) {
    }

    static final List<Row> rows = new ArrayList<>();
    static boolean anyFailure;

    static Row measure(String scenario, int conns, long extraFailures, String note) throws Exception {
        Worker[] workers = new Worker[conns];
        Op[] ops = new Op[conns];
        Recorder[] rec = new Recorder[conns];
        for (int t = 0; t < conns; t++) {
            workers[t] = new Worker(t, conns);
            ops[t] = scenario(scenario, workers[t]);
            rec[t] = new Recorder();
        }
        boolean hwmReset = resetPeakRss(cfg.pid);
        long begin = System.nanoTime();
        long t0 = begin + cfg.warmup * 1_000_000_000L;
        long t1 = t0 + cfg.duration * 1_000_000_000L;
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread[] threads = new Thread[conns];
        for (int t = 0; t < conns; t++) {
            final int ti = t;
            threads[t] = new Thread(() -> {
                Recorder r = rec[ti];
                while (true) {
                    if (stop.get() || System.nanoTime() > t1) {
                        break;
                    }
                    long start = System.nanoTime();
                    String error = null;
                    try {
                        ops[ti].run();
                    } catch (Failure f) {
                        error = f.getMessage();
                    } catch (StarvedException e) {
                        error = e.getMessage();
                        long now = System.currentTimeMillis();
                        sleep(Math.min(PERIOD_MS - now % PERIOD_MS + 50, t1 / 1_000_000 - begin / 1_000_000));
                    } catch (IOException | RuntimeException e) {
                        if (stop.get()) {
                            break; // aborted at the end of the run: not counted
                        }
                        error = "I/O: " + e;
                    }
                    long end = System.nanoTime();
                    if (error != null) {
                        r.failed++;
                        sample(scenario, conns, error);
                    } else if (end >= t0 && end <= t1) {
                        r.okMeasured++;
                        r.add(end - start);
                    }
                }
                workers[ti].http.close();
            }, "load-" + t);
            threads[t].start();
        }
        sleepUntil(t0);
        long svc0 = cpuTicks(Long.toString(cfg.pid)), pg0 = postgresTicks(), gen0 = cpuTicks("self");
        long all0 = machineBusyTicks();
        sleepUntil(t1);
        long svc1 = cpuTicks(Long.toString(cfg.pid)), pg1 = postgresTicks(), gen1 = cpuTicks("self");
        long all1 = machineBusyTicks();
        long hwm = statusKb(cfg.pid, "VmHWM");
        stop.set(true);
        // Operations still in flight finish (uncounted), so that the next run does not start behind a backlog of
        // queued password hashes; after 60 s they are aborted.
        long drainUntil = System.nanoTime() + 60_000_000_000L;
        for (Thread th : threads) {
            th.join(Math.max(1, (drainUntil - System.nanoTime()) / 1_000_000));
        }
        for (Worker w : workers) {
            w.http.abort();
        }
        for (Thread th : threads) {
            th.join();
        }
        long ok = 0, failed = extraFailures, total = 0;
        for (Recorder r : rec) {
            ok += r.okMeasured;
            failed += r.failed;
            total += r.n;
        }
        long[] all = new long[(int) total];
        int pos = 0;
        for (Recorder r : rec) {
            System.arraycopy(r.lat, 0, all, pos, r.n);
            pos += r.n;
        }
        Arrays.sort(all);
        double secs = (t1 - t0) / 1e9;
        double msPerTick = 1000.0 / cfg.clkTck;
        double perOp = ok > 0 ? 1.0 / ok : Double.NaN;
        Row row = new Row(cfg.cost, scenario, conns, ok / secs, pct(all, 0.50), pct(all, 0.90), pct(all, 0.99), failed,
                (svc1 - svc0) * msPerTick * perOp, hwm, Math.max(0, pg1 - pg0) * msPerTick * perOp,
                (gen1 - gen0) * msPerTick * perOp,
                Math.max(0, (all1 - all0) - (svc1 - svc0) - (pg1 - pg0) - (gen1 - gen0)) / (double) cfg.clkTck / secs,
                ok, (hwmReset ? "" : "peak RSS not reset; ") + note);
        if (failed > 0 || ok == 0) {
            anyFailure = true;
        }
        // The next run starts with the accounts this one did not reach.
        if (scenario.equals("verify")) {
            verifyOffset = (int) ((verifyOffset + ok) % Math.max(1, verifyLimit));
        } else {
            tfaBase = (int) ((tfaBase + ok) % Math.max(1, tfaName.length));
        }
        return row;
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int idx = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, idx)] / 1e6;
    }

    static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, Math.min(left / 1_000_000, 200)));
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(Math.max(0, ms));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Set-up: the end-to-end check, mfa tokens for the verify scenario, access tokens for /me.

    static void check() throws Exception {
        try (Http http = new Http(cfg.host, cfg.port)) {
            Mac mac = newMac();
            // A 2FA account: password step, then the code, then /me.
            Partition p = new Partition(0, 1, 1, tfaName.length - 1, 0);
            Code otp = p.nextCode(mac);
            int idx = otp.idx();
            String body = loginBody(tfaName[idx]);
            Resp first = expect(http.post("/api/v1/auth/login", null, body), "POST /api/v1/auth/login " + body,
                    "MFA_REQUIRED", "\"mfa_token\"");
            Resp second = expect(http.post("/api/v1/auth/login/verify", field(first.body(), "mfa_token"), otp.body()),
                    otp.request(), "AUTHENTICATED", "\"otp\"");
            tfaAccepted[idx] = otp.step();
            Resp me = expect(http.get("/api/v1/me", field(second.body(), "access_token")), "GET /api/v1/me", null,
                    "\"username\":\"" + tfaName[idx] + "\"");
            if (!me.body().replace(" ", "").contains("\"enabled\":true")) {
                throw fail("2FA not enabled on a seeded account", "GET /api/v1/me", me);
            }
            // The same code again must be refused: the single-use rule the harness relies on.
            Resp again = expect(http.post("/api/v1/auth/login", null, body), "POST /api/v1/auth/login " + body,
                    "MFA_REQUIRED", "\"mfa_token\"");
            Resp replay = http.post("/api/v1/auth/login/verify", field(again.body(), "mfa_token"), otp.body());
            if (replay.status() != 401) {
                throw fail("a replayed code was not refused", otp.request(), replay);
            }
            // An account without 2FA: AUTHENTICATED at once.
            String plainBody = loginBody(plainName[0]);
            expect(http.post("/api/v1/auth/login", null, plainBody), "POST /api/v1/auth/login " + plainBody,
                    "AUTHENTICATED", "\"access_token\"");
            System.out.println("check: " + tfaName[idx] + " logged in with password + TOTP (replayed code refused: "
                    + replay.status() + "), " + plainName[0] + " with password only; /me says 2FA enabled");
        }
    }

    /** Password steps for the first `count` accounts of the rotation, with 32 connections; answers the failures. */
    static long gatherMfaTokens(int count) throws Exception {
        mfaTokens = new String[tfaName.length];
        int threads = Math.min(32, count);
        AtomicInteger failures = new AtomicInteger();
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            final int ti = t;
            ts[t] = new Thread(() -> {
                try (Http http = new Http(cfg.host, cfg.port)) {
                    for (int i = ti; i < count; i += threads) {
                        int idx = (verifyOrigin + i) % tfaName.length;
                        String body = loginBody(tfaName[idx]);
                        try {
                            Resp r = expect(http.post("/api/v1/auth/login", null, body),
                                    "POST /api/v1/auth/login " + body, "MFA_REQUIRED", "\"mfa_token\"");
                            mfaTokens[idx] = field(r.body(), "mfa_token");
                        } catch (Failure f) {
                            failures.incrementAndGet();
                            sample("verify(gather)", threads, f.getMessage());
                        } catch (IOException e) {
                            failures.incrementAndGet();
                            sample("verify(gather)", threads, "I/O: " + e);
                        }
                    }
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        return failures.get();
    }

    /** Signs in as many accounts without 2FA as there are connections: each session is then refreshed in a loop. */
    static long gatherRefreshTokens(int count) throws Exception {
        refreshTokens = new String[Math.min(count, plainName.length)];
        long failures = 0;
        try (Http http = new Http(cfg.host, cfg.port)) {
            for (int i = 0; i < refreshTokens.length; i++) {
                String body = loginBody(plainName[plainName.length - 1 - i]);
                try {
                    Resp r = expect(http.post("/api/v1/auth/login", null, body), "POST /api/v1/auth/login " + body,
                            "AUTHENTICATED", "\"refresh_token\"");
                    refreshTokens[i] = field(r.body(), "refresh_token");
                } catch (Failure f) {
                    failures++;
                    sample("refresh(gather)", 1, f.getMessage());
                }
            }
        }
        return failures;
    }

    static long gatherAccessTokens(int count) throws Exception {
        accessTokens = new String[Math.min(count, plainName.length)];
        long failures = 0;
        try (Http http = new Http(cfg.host, cfg.port)) {
            for (int i = 0; i < accessTokens.length; i++) {
                String body = loginBody(plainName[i]);
                try {
                    Resp r = expect(http.post("/api/v1/auth/login", null, body), "POST /api/v1/auth/login " + body,
                            "AUTHENTICATED", "\"access_token\"");
                    accessTokens[i] = field(r.body(), "access_token");
                } catch (Failure f) {
                    failures++;
                    sample("me(gather)", 1, f.getMessage());
                }
            }
        }
        return failures;
    }

    // ---------------------------------------------------------------------------------------------------------------

    public static void main(String[] args) throws Exception {
        cfg = Config.parse(args);
        loadAccounts(cfg.accountsFile);
        if (cfg.mode.equals("resilience")) {
            System.exit(Resilience.run());
        }
        try {
            if (cfg.check) {
                check();
            }
        } catch (Failure f) {
            System.out.println("FAILED: end-to-end check of the seeded accounts: " + f.getMessage());
            System.exit(3);
        }
        jitWarmup();
        for (String scenario : cfg.scenarios) {
            for (int conns : cfg.conns) {
                long extra = 0;
                String note = "";
                if (scenario.equals("verify")
                        && (mfaTokens == null || System.nanoTime() - verifyGatheredAt > 200_000_000_000L)) {
                    // mfa tokens (valid 5 minutes) for the verify runs, gathered once, for half as many accounts as
                    // the best password-step rate could verify in all of them: an account may verify a second time,
                    // at a later time step and with the same mfa token (the service accepts that: the token is a
                    // 5-minute bearer token; the step, not the token, is single-use), and never runs out of steps.
                    double rate = (lastPasswordRate > 0 ? lastPasswordRate : 1500);
                    double estimate = rate * (cfg.warmup + cfg.duration) * cfg.conns.length / 2;
                    verifyLimit = (int) Math.min(tfaName.length, Math.max(64, Math.ceil(estimate)));
                    verifyOrigin = tfaBase;
                    verifyOffset = 0;
                    long g0 = System.nanoTime();
                    extra = gatherMfaTokens(verifyLimit);
                    verifyGatheredAt = System.nanoTime();
                    note = String.format(Locale.ROOT, "%d mfa tokens gathered in %.1f s", verifyLimit,
                            (verifyGatheredAt - g0) / 1e9);
                    System.out.println(note);
                    tfaBase = (tfaBase + verifyLimit) % tfaName.length;
                } else if (scenario.equals("me")) {
                    extra = gatherAccessTokens(conns);
                } else if (scenario.equals("refresh")) {
                    extra = gatherRefreshTokens(conns);
                }
                boolean hashes = cfg.hash != null && (scenario.equals("password") || scenario.equals("login"));
                double[] beside = hashes ? HashBeside.time() : null;
                Row row = measure(scenario, conns, extra, note);
                if (hashes) {
                    row = HashBeside.noted(row, beside, HashBeside.time());
                }
                if (scenario.equals("password")) {
                    lastPasswordRate = Math.max(lastPasswordRate, (int) row.okPerSec());
                }
                rows.add(row);
                String line = String.join("\t", row.cost(), row.scenario(), Integer.toString(row.conns()),
                        f1(row.okPerSec()), f2(row.p50()), f2(row.p90()), f2(row.p99()), Long.toString(row.failures()),
                        f3(row.cpuMsPerOp()), Long.toString(row.peakRssKb() / 1024), f3(row.pgMsPerOp()),
                        f3(row.genMsPerOp()), f2(row.otherCores()), Long.toString(row.ops()), row.note());
                System.out.println("row: " + line.replace('\t', ' '));
                if (cfg.results != null) {
                    Files.writeString(Path.of(cfg.results), line + "\n", StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                }
            }
        }
        writeFailures();
        System.exit(anyFailure ? 1 : 0);
    }

    /**
     * Before the first measured run: a few seconds of each scenario (verify is covered by login), so that the JIT has
     * compiled the service's request paths. Nothing is recorded, but a failure still fails the run.
     */
    static void jitWarmup() throws Exception {
        List<String> warm = cfg.scenarios.stream().filter(s -> !s.equals("verify")).toList();
        if (cfg.jitWarmup <= 0 || warm.isEmpty()) {
            return;
        }
        int each = Math.max(1, cfg.jitWarmup / warm.size());
        int savedWarmup = cfg.warmup, savedDuration = cfg.duration;
        long t0 = System.nanoTime();
        try {
            cfg.warmup = 0;
            cfg.duration = each;
            for (String scenario : warm) {
                long extra = scenario.equals("me") ? gatherAccessTokens(8)
                        : scenario.equals("refresh") ? gatherRefreshTokens(8) : 0;
                Row row = measure(scenario, 8, extra, "");
                System.out.printf(Locale.ROOT, "JIT warm-up: %s at 8 connections for %d s: %.1f/s, %d failures%n",
                        scenario, each, row.okPerSec(), row.failures());
            }
        } finally {
            cfg.warmup = savedWarmup;
            cfg.duration = savedDuration;
        }
        System.out.printf(Locale.ROOT, "JIT warm-up took %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    static void writeFailures() throws IOException {
        if (cfg.failuresFile != null && !failureSamples.isEmpty()) {
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(Path.of(cfg.failuresFile),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
                failureSamples.forEach(w::println);
            }
        }
    }

    /**
     * The hash bound beside each run: the machine's speed changes from one minute to the next (the same single-thread
     * hash took 25 ms and 45 ms four minutes apart here), so a bound timed only before and after the whole phase can
     * be far from the one a run met. The service's own Argon2id (from its jar) is timed in this JVM, single thread,
     * HASHES times just before and just after the run, while the service and PostgreSQL are idle; the median of those
     * gives the bound of that run, which its note carries (run.sh prints it beside the phase's bound).
     */
    static final class HashBeside {
        static final int HASHES = 7;
        static boolean warm;

        static double[] time() {
            io.accountsecurity.password.Argon2id.Cost cost = new io.accountsecurity.password.Argon2id.Cost(cfg.hash[0],
                    cfg.hash[1], cfg.hash[2]);
            if (!warm) {
                // As HashTime: about a second or 10 hashes, so that the JIT has compiled the Argon2 loops.
                long until = System.nanoTime() + 1_000_000_000L;
                for (int i = 0; i < 10 || System.nanoTime() < until; i++) {
                    io.accountsecurity.password.Argon2id.hash("bench-beside-" + i, cost);
                }
                warm = true;
            }
            double[] ms = new double[HASHES];
            for (int i = 0; i < HASHES; i++) {
                long t0 = System.nanoTime();
                io.accountsecurity.password.Argon2id.hash("bench-beside-" + i, cost);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            return ms;
        }

        static Row noted(Row r, double[] before, double[] after) {
            double[] all = new double[before.length + after.length];
            System.arraycopy(before, 0, all, 0, before.length);
            System.arraycopy(after, 0, all, before.length, after.length);
            Arrays.sort(all);
            double median = (all[all.length / 2 - 1] + all[all.length / 2]) / 2;
            double bound = Runtime.getRuntime().availableProcessors() * 1000 / median;
            String note = String.format(Locale.ROOT, "hash beside %.3f ms (%.1f-%.1f) bound %.1f/s = %.0f%%", median,
                    all[0], all[all.length - 1], bound, 100 * r.okPerSec() / bound);
            System.out.println("hash beside: " + r.scenario() + " at " + r.conns() + " connections: " + note);
            return new Row(r.cost(), r.scenario(), r.conns(), r.okPerSec(), r.p50(), r.p90(), r.p99(), r.failures(),
                    r.cpuMsPerOp(), r.peakRssKb(), r.pgMsPerOp(), r.genMsPerOp(), r.otherCores(), r.ops(),
                    r.note().isEmpty() ? note : r.note() + "; " + note);
        }
    }

    static String f1(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    static String f2(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    static String f3(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Resilience (LOAD=60 bench/run.sh): the service kept at its measured login capacity for `load` seconds, while
    // fresh accounts enroll through the API at the same time. Every enrollment that answered 200 is written out, and
    // so is the last TOTP step the service accepted per 2FA account, for run.sh to compare with the database (no lost
    // update). Any failed request fails the run.

    static final class Resilience {
        static final AtomicInteger enrolled = new AtomicInteger();
        static final AtomicInteger enrollFailures = new AtomicInteger();
        static final ConcurrentLinkedQueue<String> enrolledRows = new ConcurrentLinkedQueue<>();
        static final ConcurrentLinkedQueue<Long> enrollLatencies = new ConcurrentLinkedQueue<>();

        static int run() throws Exception {
            try {
                check();
            } catch (Failure f) {
                System.out.println("FAILED: end-to-end check of the seeded accounts: " + f.getMessage());
                return 3;
            }
            jitWarmup();
            // Capacity: the concurrency at which full logins peak (closed loop), from short probes.
            int bestConns = cfg.conns[0];
            double best = -1;
            int savedDuration = cfg.duration;
            cfg.duration = Math.min(cfg.duration, 10);
            for (int c : cfg.conns) {
                Row probe = measure("login", c, 0, "");
                print(probe, "capacity probe");
                if (probe.okPerSec() > best) {
                    best = probe.okPerSec();
                    bestConns = c;
                }
            }
            cfg.duration = savedDuration;
            System.out.printf(Locale.ROOT, "capacity: %.1f logins/s at %d connections; holding it for %d s with %d "
                    + "enrolling clients beside%n", best, bestConns, cfg.load, cfg.enrollers);

            String adminToken = cfg.adminToken;
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread[] enrollers = new Thread[cfg.enrollers];
            for (int t = 0; t < enrollers.length; t++) {
                final int ti = t;
                enrollers[t] = new Thread(() -> enrollLoop(ti, adminToken, stop), "enroll-" + t);
                enrollers[t].start();
            }
            cfg.warmup = 0;
            cfg.duration = cfg.load;
            Row row = measure("login", bestConns, 0, "with enrollments beside");
            stop.set(true);
            for (Thread t : enrollers) {
                t.join();
            }
            print(row, "sustained");
            long[] lat = enrollLatencies.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "enrollments (create user, log in, start, confirm): %d answered 200, %d "
                    + "failed; per enrollment p50 %.1f ms, p99 %.1f ms%n", enrolled.get(), enrollFailures.get(),
                    pct(lat, 0.5), pct(lat, 0.99));
            if (cfg.enrolledFile != null) {
                Files.write(Path.of(cfg.enrolledFile), enrolledRows);
            }
            if (cfg.stepsFile != null) {
                List<String> steps = new ArrayList<>();
                for (int i = 0; i < tfaName.length; i++) {
                    if (tfaAccepted[i] >= 0) {
                        steps.add(tfaName[i] + "\t" + tfaAccepted[i]);
                    }
                }
                Files.write(Path.of(cfg.stepsFile), steps);
            }
            writeFailures();
            boolean failed = anyFailure || enrollFailures.get() > 0 || enrolled.get() == 0;
            return failed ? 1 : 0;
        }

        static void print(Row r, String what) throws IOException {
            String line = String.join("\t", r.cost(), "login (" + what + ")", Integer.toString(r.conns()),
                    f1(r.okPerSec()), f2(r.p50()), f2(r.p90()), f2(r.p99()), Long.toString(r.failures()),
                    f3(r.cpuMsPerOp()), Long.toString(r.peakRssKb() / 1024), f3(r.pgMsPerOp()), f3(r.genMsPerOp()),
                    f2(r.otherCores()), Long.toString(r.ops()), r.note());
            System.out.println("row: " + line.replace('\t', ' '));
            if (cfg.results != null) {
                Files.writeString(Path.of(cfg.results), line + "\n", StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
        }

        static void enrollLoop(int t, String adminToken, java.util.concurrent.atomic.AtomicBoolean stop) {
            Mac mac = newMac();
            String password = cfg.password;
            try (Http http = new Http(cfg.host, cfg.port)) {
                for (int n = 0; !stop.get(); n++) {
                    String username = "benroll-" + t + "-" + n + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
                    long t0 = System.nanoTime();
                    String step = "create";
                    try {
                        String create = "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
                        Resp created = http.post("/api/v1/admin/users", adminToken, create);
                        if (created.status() != 201) {
                            throw fail("unexpected status", "POST /api/v1/admin/users " + create, created);
                        }
                        String id = field(created.body(), "id");
                        step = "login";
                        String login = loginBody(username);
                        String access = field(expect(http.post("/api/v1/auth/login", null, login),
                                "POST /api/v1/auth/login " + login, "AUTHENTICATED", "\"access_token\"").body(),
                                "access_token");
                        step = "enrollment";
                        String pw = "{\"password\":\"" + password + "\"}";
                        Resp started = http.post("/api/v1/me/two-factor/enrollment", access, pw);
                        if (started.status() != 201 || field(started.body(), "secret") == null) {
                            throw fail("unexpected answer", "POST /api/v1/me/two-factor/enrollment", started);
                        }
                        byte[] secret = base32(field(started.body(), "secret"));
                        step = "confirm";
                        String code = "{\"code\":\"" + totp(mac, secret, stepAt(System.currentTimeMillis())) + "\"}";
                        Resp confirmed = expect(http.post("/api/v1/me/two-factor/enrollment/confirm", access, code),
                                "POST /api/v1/me/two-factor/enrollment/confirm " + code, null, "\"backup_codes\"");
                        if (!confirmed.body().replace(" ", "").contains("\"enabled\":true")) {
                            throw fail("not enabled", "POST /api/v1/me/two-factor/enrollment/confirm", confirmed);
                        }
                        enrolled.incrementAndGet();
                        enrolledRows.add(username + "\t" + id);
                        enrollLatencies.add(System.nanoTime() - t0);
                    } catch (Failure f) {
                        enrollFailures.incrementAndGet();
                        sample("enroll", cfg.enrollers, f.getMessage());
                    } catch (IOException e) {
                        enrollFailures.incrementAndGet();
                        sample("enroll", cfg.enrollers, step + ": I/O: " + e);
                    }
                }
            }
        }

        static byte[] base32(String text) {
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int buffer = 0, bits = 0;
            for (char ch : text.toUpperCase(Locale.ROOT).toCharArray()) {
                if (ch == '=') {
                    break;
                }
                buffer = (buffer << 5) | alphabet.indexOf(ch);
                bits += 5;
                if (bits >= 8) {
                    out.write((buffer >> (bits - 8)) & 0xff);
                    bits -= 8;
                }
            }
            return out.toByteArray();
        }
    }
}
