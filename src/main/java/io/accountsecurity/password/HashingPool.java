package io.accountsecurity.password;

import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The threads that hash passwords, one per core, and their two bounded lanes of waiting work: clients known to this
 * service (a right password from their address lately) are served first, everyone else after them. A lane that is
 * full refuses at once ({@link RejectedExecutionException}), so a flood of unknown clients fills the second lane and
 * is shed, while a known client still gets a place in the first. A place can be taken ahead of the work
 * ({@link #reserve}), so that a login is refused before it spends anything on the database; taken places count
 * against the lane as waiting work does.
 */
final class HashingPool {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final ArrayDeque<Runnable> known = new ArrayDeque<>();
    private final ArrayDeque<Runnable> others = new ArrayDeque<>();
    private final int capacity;
    /** Places taken ahead of their work: [0] in the known clients' lane, [1] in the others'. */
    private final int[] reserved = new int[2];
    private final Thread[] threads;
    private volatile boolean stopped;

    HashingPool(int threads, int capacityPerLane) {
        this.capacity = capacityPerLane;
        this.threads = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            this.threads[i] = new Thread(this::serve, "password-hash-" + (i + 1));
            this.threads[i].setDaemon(true);
            this.threads[i].start();
        }
    }

    /**
     * Queues a task in its lane, in the place taken for it ({@code placed}) or else in a free one; refuses it when the
     * lane is full.
     */
    void execute(Runnable task, boolean knownClient, boolean placed) {
        lock.lock();
        try {
            if (placed) {
                reserved[slot(knownClient)]--;
            }
            if (stopped || (!placed && full(knownClient))) {
                throw new RejectedExecutionException("hashing lane full");
            }
            (knownClient ? known : others).addLast(task);
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Takes a place in the lane for work to come, if the lane has one free. */
    boolean reserve(boolean knownClient) {
        lock.lock();
        try {
            if (stopped || full(knownClient)) {
                return false;
            }
            reserved[slot(knownClient)]++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Gives back a place whose work never came. */
    void unreserve(boolean knownClient) {
        lock.lock();
        try {
            reserved[slot(knownClient)]--;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the lane's waiting work and taken places fill it; under the lock. */
    private boolean full(boolean knownClient) {
        return (knownClient ? known : others).size() + reserved[slot(knownClient)] >= capacity;
    }

    private static int slot(boolean knownClient) {
        return knownClient ? 0 : 1;
    }

    void shutdown() {
        stopped = true;
        for (Thread thread : threads) {
            thread.interrupt();
        }
    }

    private void serve() {
        while (!stopped) {
            Runnable task;
            lock.lock();
            try {
                while (known.isEmpty() && others.isEmpty()) {
                    work.await();
                }
                task = known.isEmpty() ? others.pollFirst() : known.pollFirst();
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            task.run();
        }
    }
}
