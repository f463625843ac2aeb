import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The login flood: unknown usernames at a target rate from many loopback source addresses (127.0.1.0 upwards), while
 * a real user logs in twice a second from 127.0.0.1 and the liveness probe is polled ten times a second. Open loop:
 * each sender keeps its own pace whatever the answers take, up to one request in flight per sender. Prints one line
 * per class (flood answers by status, the real user, liveness) with counts and latencies, the service's peak RSS and
 * CPU (its hashing threads', its event loops' and the rest, from /proc), and exits 1 when a target is missed. JDK
 * only; plain sockets, one keep-alive connection per sender.
 *
 * Arguments: host port rate seconds sources senders username password pid [clk_tck, default 100]
 */
public class Flood {

    record Sample(int status, long nanos) {
    }

    static final List<Sample> flood = Collections.synchronizedList(new ArrayList<>());
    static final List<Sample> user = Collections.synchronizedList(new ArrayList<>());
    static final List<Sample> live = Collections.synchronizedList(new ArrayList<>());
    static final AtomicLong ioErrors = new AtomicLong();
    static volatile boolean stop;

    public static void main(String[] a) throws Exception {
        String host = a[0];
        int port = Integer.parseInt(a[1]);
        double rate = Double.parseDouble(a[2]);
        int seconds = Integer.parseInt(a[3]);
        int sources = Integer.parseInt(a[4]);
        int senders = Integer.parseInt(a[5]);
        String username = a[6];
        String password = a[7];
        long pid = Long.parseLong(a[8]);
        double clkTck = a.length > 9 ? Double.parseDouble(a[9]) : 100;

        // The real user has signed in before (a known client), as people do every day.
        int first = new Client(host, port, "127.0.0.1").login(username, password);
        if (first != 200) {
            System.out.println("FAILED: the real user's first login answered " + first);
            System.exit(2);
        }
        Files.writeString(Path.of("/proc/" + pid + "/clear_refs"), "5");
        long[] cpuBefore = cpuTicks(pid);
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        double perSender = rate / senders;
        for (int i = 0; i < senders; i++) {
            String source = "127.0.1." + (i % sources % 250 + 1);
            long offset = (long) (i * 1e9 / rate);
            threads.add(started(() -> paced(host, port, source, perSender, start + offset, end, c -> {
                long t = System.nanoTime();
                int status = c.login("flood-" + Long.toHexString(System.nanoTime()), "not the password");
                flood.add(new Sample(status, System.nanoTime() - t));
            })));
        }
        threads.add(started(() -> paced(host, port, "127.0.0.1", 2, start, end, c -> {
            long t = System.nanoTime();
            int status = c.login(username, password);
            user.add(new Sample(status, System.nanoTime() - t));
        })));
        threads.add(started(() -> paced(host, port, "127.0.0.1", 10, start, end, c -> {
            long t = System.nanoTime();
            int status = c.get("/q/health/live");
            live.add(new Sample(status, System.nanoTime() - t));
        })));
        for (Thread t : threads) {
            t.join();
        }
        long rss = vmHwmKib(pid);
        long[] cpuAfter = cpuTicks(pid);
        double elapsed = (System.nanoTime() - start) / 1e9;

        Map<Integer, List<Long>> byStatus = new ConcurrentHashMap<>();
        for (Sample s : flood) {
            byStatus.computeIfAbsent(s.status(), k -> new ArrayList<>()).add(s.nanos());
        }
        System.out.printf(Locale.ROOT, "flood: %d requests in %.1f s (%.0f/s offered at %.0f/s), %d I/O errors%n",
                flood.size(), elapsed, flood.size() / elapsed, rate, ioErrors.get());
        List<Long> shed = new ArrayList<>();
        for (var e : byStatus.entrySet()) {
            System.out.printf(Locale.ROOT, "  status %d: %d, p50 %.1f ms, p99 %.1f ms%n", e.getKey(), e.getValue().size(),
                    pct(e.getValue(), 50), pct(e.getValue(), 99));
            if (e.getKey() == 429 || e.getKey() == 503) {
                shed.addAll(e.getValue());
            }
        }
        long userOk = user.stream().filter(s -> s.status() == 200).count();
        List<Long> userTimes = user.stream().map(Sample::nanos).toList();
        List<Long> liveTimes = live.stream().map(Sample::nanos).toList();
        long liveOk = live.stream().filter(s -> s.status() == 200).count();
        System.out.printf(Locale.ROOT, "shed (429 and 503): %d, p99 %.1f ms%n", shed.size(), pct(shed, 99));
        System.out.printf(Locale.ROOT, "real user: %d of %d logins succeeded, p50 %.0f ms, p99 %.0f ms%n", userOk,
                user.size(), pct(userTimes, 50), pct(userTimes, 99));
        System.out.printf(Locale.ROOT, "liveness: %d of %d answered 200, p50 %.1f ms, p99 %.1f ms%n", liveOk,
                live.size(), pct(liveTimes, 50), pct(liveTimes, 99));
        System.out.printf(Locale.ROOT, "service peak RSS: %.0f MiB%n", rss / 1024.0);
        double[] cores = new double[3];
        for (int i = 0; i < 3; i++) {
            cores[i] = (cpuAfter[i] - cpuBefore[i]) / clkTck / elapsed;
        }
        System.out.printf(Locale.ROOT, "service CPU: %.2f cores (hashing threads %.2f, event loops %.2f, other threads"
                + " %.2f); event loops %.3f ms per flood request%n", cores[0], cores[1], cores[2],
                cores[0] - cores[1] - cores[2], (cpuAfter[2] - cpuBefore[2]) / clkTck * 1000 / flood.size());
        List<String> missed = new ArrayList<>();
        if (ioErrors.get() > 0 || byStatus.keySet().stream().anyMatch(s -> s != 401 && s != 429 && s != 503)) {
            missed.add("every request answered with 401, 429 or 503");
        }
        if (pct(shed, 99) >= 50) {
            missed.add("shed p99 < 50 ms");
        }
        if (userOk != user.size() || pct(userTimes, 99) >= 2000) {
            missed.add("the real user's logins all succeed, p99 < 2 s");
        }
        if (liveOk != live.size() || pct(liveTimes, 99) >= 100) {
            missed.add("liveness p99 < 100 ms");
        }
        if (rss / 1024.0 >= 300) {
            missed.add("peak RSS < 300 MiB");
        }
        System.out.println(missed.isEmpty() ? "targets: all met" : "targets missed: " + String.join("; ", missed));
        System.exit(missed.isEmpty() ? 0 : 1);
    }

    static Thread started(Runnable body) {
        Thread thread = new Thread(body);
        thread.start();
        return thread;
    }

    interface Step {
        void run(Client client) throws IOException;
    }

    /** Runs {@code step} at {@code perSecond} from {@code first} until {@code end}, on one connection bound to source. */
    static void paced(String host, int port, String source, double perSecond, long first, long end, Step step) {
        Client client = new Client(host, port, source);
        long interval = (long) (1e9 / perSecond);
        for (long next = first; next < end && !stop; next += interval) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            } else if (-wait > interval) {
                next = System.nanoTime(); // fallen behind: no burst to catch up
            }
            try {
                step.run(client);
            } catch (IOException e) {
                ioErrors.incrementAndGet();
                client.close();
            }
        }
        client.close();
    }

    static double pct(List<Long> nanos, int p) {
        if (nanos.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1))) / 1e6;
    }

    /** CPU ticks (user and system) of the process, of its hashing threads and of its event loops. */
    static long[] cpuTicks(long pid) throws IOException {
        long[] ticks = { ticksOf(Path.of("/proc/" + pid + "/stat")), 0, 0 };
        try (var tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    int kind = name.startsWith("password-hash") ? 1 : name.startsWith("vert.x-eventloo") ? 2 : 0;
                    if (kind > 0) {
                        ticks[kind] += ticksOf(task.resolve("stat"));
                    }
                } catch (IOException gone) {
                    // A thread that ended meanwhile.
                }
            }
        }
        return ticks;
    }

    /** utime + stime of a /proc stat file (fields 14 and 15; the name before them may hold spaces). */
    static long ticksOf(Path stat) throws IOException {
        String line = Files.readString(stat);
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    static long vmHwmKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** One keep-alive HTTP/1.1 connection from a given source address. */
    static final class Client {
        final String host;
        final int port;
        final String source;
        Socket socket;
        InputStream in;
        OutputStream out;

        Client(String host, int port, String source) {
            this.host = host;
            this.port = port;
            this.source = source;
        }

        int login(String username, String password) throws IOException {
            return send("POST", "/api/v1/auth/login",
                    "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
        }

        int get(String path) throws IOException {
            return send("GET", path, null);
        }

        int send(String method, String path, String json) throws IOException {
            if (socket == null) {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(30_000);
                socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
                socket.connect(new InetSocketAddress(host, port), 10_000);
                in = new BufferedInputStream(socket.getInputStream(), 8192);
                out = new BufferedOutputStream(socket.getOutputStream(), 4096);
            }
            byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                    + "\r\nAccept: application/json\r\n"
                    + (json == null ? "" : "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n")
                    + "\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String status = line();
            if (status == null) {
                throw new IOException("connection closed");
            }
            int code = Integer.parseInt(status.split(" ")[1]);
            long length = 0;
            boolean close = false;
            for (String header = line(); header != null && !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
            }
            in.skipNBytes(length);
            if (close) {
                close();
            }
            return code;
        }

        String line() throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c = in.read(); c != -1; c = in.read()) {
                if (c == '\n') {
                    int n = b.length();
                    return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
                }
                b.append((char) c);
            }
            return b.length() == 0 ? null : b.toString();
        }

        void close() {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }
}
