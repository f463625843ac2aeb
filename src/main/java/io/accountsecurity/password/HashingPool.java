package io.accountsecurity.password;

import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The threads that hash passwords, one per core, and their two bounded lanes of waiting work: clients known to this
 * service (a right password from their address lately) are served first, everyone else after them. A lane that is
 * full refuses at once ({@link RejectedExecutionException}), so a flood of unknown clients fills the second lane and
 * is shed, while a known client still gets a place in the first.
 */
final class HashingPool {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final ArrayDeque<Runnable> known = new ArrayDeque<>();
    private final ArrayDeque<Runnable> others = new ArrayDeque<>();
    private final int capacity;
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

    /** Queues a task in its lane, or refuses it when that lane is full. */
    void execute(Runnable task, boolean knownClient) {
        lock.lock();
        try {
            ArrayDeque<Runnable> lane = knownClient ? known : others;
            if (stopped || lane.size() >= capacity) {
                throw new RejectedExecutionException("hashing lane full");
            }
            lane.addLast(task);
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the lane has room now: lets a flood be refused before any other work is spent on it. */
    boolean hasRoom(boolean knownClient) {
        lock.lock();
        try {
            return (knownClient ? known : others).size() < capacity;
        } finally {
            lock.unlock();
        }
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
