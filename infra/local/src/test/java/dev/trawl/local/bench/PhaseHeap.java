package dev.trawl.local.bench;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The JVM's heap per phase of a job: the largest heap in use after a collection (what survived it, live data plus
 * old garbage not yet collected: an upper bound of what the phase needed), and the largest heap in use at all (before
 * collections and between them, garbage included), with the number of collections. The local stack runs every
 * function and emulator in this one JVM, so the figures bound the whole stack's heap, not one function's.
 */
final class PhaseHeap implements AutoCloseable {
    /** One phase's figures, in bytes. */
    record Peak(String phase, long afterGc, long used, int collections) {
    }

    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    private final Map<String, long[]> peaks = new LinkedHashMap<>();
    private final List<Runnable> removals = new ArrayList<>();
    private final Thread sampler;
    private String phase;

    PhaseHeap(String first) {
        phase = first;
        peaks.put(first, new long[3]);
        NotificationListener listener = this::collected;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            NotificationEmitter emitter = (NotificationEmitter) collector;
            emitter.addNotificationListener(listener, null, null);
            removals.add(() -> {
                try {
                    emitter.removeNotificationListener(listener);
                } catch (Exception e) {
                    // closing: nothing left to count
                }
            });
        }
        // Between collections the heap only grows, so sampling it often enough finds its peak before each one.
        sampler = Thread.ofPlatform().daemon().name("phase-heap").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                record(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), -1, false);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** From now on, what the heap does counts towards {@code next}. */
    synchronized void enter(String next) {
        phase = next;
        peaks.putIfAbsent(next, new long[3]);
    }

    synchronized List<Peak> peaks() {
        List<Peak> all = new ArrayList<>();
        peaks.forEach((name, figures) -> all.add(new Peak(name, figures[0], figures[1], (int) figures[2])));
        return all;
    }

    private void collected(Notification notification, Object handback) {
        if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        record(heap(info.getGcInfo().getMemoryUsageBeforeGc()), heap(info.getGcInfo().getMemoryUsageAfterGc()), true);
    }

    private long heap(Map<String, MemoryUsage> pools) {
        return pools.entrySet().stream().filter(e -> heapPools.contains(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
    }

    private synchronized void record(long used, long afterGc, boolean collection) {
        long[] figures = peaks.get(phase);
        figures[0] = Math.max(figures[0], afterGc);
        figures[1] = Math.max(figures[1], used);
        if (collection) {
            figures[2]++;
        }
    }

    @Override
    public void close() {
        sampler.interrupt();
        removals.forEach(Runnable::run);
    }
}
