package io.accountsecurity.password;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.accountsecurity.config.SecurityConfig;
import io.accountsecurity.problem.ProblemException;
import io.accountsecurity.problem.ProblemType;

/** The hashing pool's queue is bounded: beyond it a check is refused at once with 503 and Retry-After. */
class HashingQueueTest {

    @Test
    void checksBeyondTheQueueAreRefusedAtOnceAndTheOthersAnswer() throws Exception {
        // One thread, one place in the queue, and a cost that keeps the thread busy while the rest arrive.
        PasswordHasher hasher = new PasswordHasher(config(32768, 3, 1, 1), new PasswordPolicy());
        String hash = hasher.hash("correct horse battery").await().atMost(Duration.ofSeconds(30));

        List<CompletableFuture<Boolean>> answers = new ArrayList<>();
        answers.add(hasher.verify("correct horse battery", hash).subscribeAsCompletionStage());
        awaitTaken(hasher, true);
        for (int i = 1; i < 10; i++) {
            answers.add(hasher.verify("correct horse battery", hash).subscribeAsCompletionStage());
        }
        List<ProblemException> refused = new ArrayList<>();
        List<CompletableFuture<Boolean>> taken = new ArrayList<>();
        for (CompletableFuture<Boolean> answer : answers) {
            if (answer.isCompletedExceptionally()) {
                refused.add((ProblemException) answer.handle((v, e) -> e).get());
            } else {
                taken.add(answer);
            }
        }
        // Refused at once, while the first hash still runs: one running, one queued, eight refused.
        assertEquals(8, refused.size());
        assertTrue(taken.stream().anyMatch(answer -> !answer.isDone()), "a taken check is still running");
        for (ProblemException e : refused) {
            assertEquals(ProblemType.SERVICE_UNAVAILABLE.uri(), e.problem().type());
            assertEquals(Duration.ofSeconds(1), e.retryAfter());
        }
        for (CompletableFuture<Boolean> answer : taken) {
            assertTrue(answer.get(30, TimeUnit.SECONDS));
        }
        // Once the queue has room again, checks are taken.
        assertTrue(hasher.verify("correct horse battery", hash).await().atMost(Duration.ofSeconds(30)));
        hasher.close();
    }

    @Test
    void aKnownClientIsServedBeforeTheOthersAndNotShedWithThem() throws Exception {
        PasswordHasher hasher = new PasswordHasher(config(32768, 3, 1, 1), new PasswordPolicy());
        String hash = hasher.hash("correct horse battery").await().atMost(Duration.ofSeconds(30));
        // The others' lane fills (one running, one waiting) and sheds the rest...
        List<CompletableFuture<Boolean>> others = new ArrayList<>();
        others.add(hasher.verify("correct horse battery", hash, false).subscribeAsCompletionStage());
        awaitTaken(hasher, false);
        for (int i = 1; i < 5; i++) {
            others.add(hasher.verify("correct horse battery", hash, false).subscribeAsCompletionStage());
        }
        assertEquals(3, others.stream().filter(CompletableFuture::isCompletedExceptionally).count());
        // ...while a known client still gets a place, and is served before the one that waited longer.
        CompletableFuture<Boolean> known = hasher.verify("correct horse battery", hash, true)
                .subscribeAsCompletionStage();
        assertFalse(known.isCompletedExceptionally());
        CompletableFuture<Boolean> waitingOther = others.stream().filter(f -> !f.isCompletedExceptionally())
                .reduce((first, second) -> second).orElseThrow();
        assertTrue(known.get(30, TimeUnit.SECONDS));
        assertFalse(waitingOther.isDone(), "the other client's check still waits when the known one is answered");
        assertTrue(waitingOther.get(30, TimeUnit.SECONDS));
        hasher.close();
    }

    @Test
    void placesTakenAheadCountAgainstTheLaneUntilUsedOrGivenBack() throws Exception {
        // One thread, two places per lane; the thread is kept busy by a first check.
        PasswordHasher hasher = new PasswordHasher(config(32768, 3, 1, 2), new PasswordPolicy());
        String hash = hasher.hash("correct horse battery").await().atMost(Duration.ofSeconds(30));
        CompletableFuture<Boolean> running = hasher.verify("correct horse battery", hash, false)
                .subscribeAsCompletionStage();
        awaitTaken(hasher, false, 2);

        PasswordHasher.Place first = hasher.admit(false);
        PasswordHasher.Place second = hasher.admit(false);
        ProblemException full = assertThrows(ProblemException.class, () -> hasher.admit(false));
        assertEquals(ProblemType.SERVICE_UNAVAILABLE.uri(), full.problem().type());
        // A check without a place finds the lane full too; the known clients' lane is apart.
        assertThrows(ProblemException.class, () -> hasher.verify("correct horse battery", hash, false)
                .await().atMost(Duration.ofSeconds(30)));
        hasher.admit(true).release();

        // A place given back is free again; giving it back twice frees nothing more.
        second.release();
        second.release();
        PasswordHasher.Place third = hasher.admit(false);
        assertThrows(ProblemException.class, () -> hasher.admit(false));

        // Checks in their places are queued even though the lane is full, and answer.
        CompletableFuture<Boolean> inFirst = first.verify("correct horse battery", hash).subscribeAsCompletionStage();
        CompletableFuture<Boolean> inThird = third.verify("wrong horse battery", hash).subscribeAsCompletionStage();
        first.release();
        assertTrue(running.get(30, TimeUnit.SECONDS));
        assertTrue(inFirst.get(30, TimeUnit.SECONDS));
        assertFalse(inThird.get(30, TimeUnit.SECONDS));
        // Used places are free once their checks have been taken.
        awaitTaken(hasher, false, 2);
        hasher.close();
    }

    @Test
    void aStoredHashOutsideTheAcceptedCostsIsNeverComputedAndNeverMatches() throws Exception {
        PasswordHasher hasher = new PasswordHasher(config(1024, 1, 1, 4), new PasswordPolicy());
        // Genuine hashes of the right password: one within the range, one above its memory, one above its iterations.
        String within = Argon2id.hash("correct horse battery", new Argon2id.Cost(19456, 1, 1));
        String tooLarge = Argon2id.hash("correct horse battery", new Argon2id.Cost(32768, 1, 1));
        String tooLong = Argon2id.hash("correct horse battery", new Argon2id.Cost(1024, 11, 1));
        assertTrue(hasher.verify("correct horse battery", within).await().atMost(Duration.ofSeconds(30)));
        assertFalse(hasher.verify("correct horse battery", tooLarge).await().atMost(Duration.ofSeconds(30)));
        assertFalse(hasher.verify("correct horse battery", tooLong).await().atMost(Duration.ofSeconds(30)));
        assertFalse(hasher.verify("correct horse battery", "$argon2id$v=19$m=65536,t=64,p=16$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")
                .await().atMost(Duration.ofSeconds(30)));
        hasher.close();
    }

    /** Until the pool's thread has taken the first check off its lane (of one place), so that it is empty again. */
    private static void awaitTaken(PasswordHasher hasher, boolean knownClient) {
        awaitTaken(hasher, knownClient, 1);
    }

    /** Until the lane's {@code places} are all free: the pool's thread has taken the checks that waited there. */
    private static void awaitTaken(PasswordHasher hasher, boolean knownClient, int places) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            List<PasswordHasher.Place> taken = new ArrayList<>();
            try {
                for (int i = 0; i < places; i++) {
                    taken.add(hasher.admit(knownClient));
                }
                return;
            } catch (ProblemException full) {
                assertTrue(System.nanoTime() < deadline, "the pool's thread took no work");
                Thread.onSpinWait();
            } finally {
                taken.forEach(PasswordHasher.Place::release);
            }
        }
    }

    static SecurityConfig config(int memoryKib, int iterations, int threads, int queuePerThread) {
        return new SecurityConfig() {
            public Optional<String> secretsEncryptionKey() {
                return Optional.empty();
            }

            public Optional<java.util.List<String>> secretsEncryptionKeysPrevious() {
                return Optional.empty();
            }

            public PasswordHash passwordHash() {
                return new PasswordHash() {
                    public int memoryKib() {
                        return memoryKib;
                    }

                    public int iterations() {
                        return iterations;
                    }

                    public int parallelism() {
                        return 1;
                    }

                    public int maxConcurrent() {
                        return threads;
                    }

                    public int queuePerThread() {
                        return queuePerThread;
                    }

                    public int acceptedMaxMemoryKib() {
                        return 19456;
                    }

                    public int acceptedMaxIterations() {
                        return 10;
                    }
                };
            }

            public Totp totp() {
                return null;
            }

            public Throttle throttle() {
                return null;
            }
        };
    }
}
