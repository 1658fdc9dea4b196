package dev.trawl.local;

import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * SQS fair queues as the local event source mapping of a standard queue delivers them (ElasticMQ has none): a
 * receiver moves the queue's visible messages into this pool, where they stay in flight on the queue, and each poller
 * takes the next one by the fair-queue rules AWS documents (SQS developer guide, "How Amazon SQS fair queues work").
 * A message's tenant is its {@code MessageGroupId} (which ElasticMQ keeps on a standard queue and, unlike a FIFO
 * queue's, does not serialize: StandardQueueGroupsTest); a message without one is a tenant of its own. A tenant is a noisy
 * neighbour while it has more than 10% of the messages in flight and at least 30 of them, or more than 10% of the
 * recent processing time. A quiet tenant's oldest message goes first; when only noisy tenants wait, the one with the
 * fewest in flight. Otherwise messages go oldest first, as from a standard queue without a backlog. The thresholds are
 * AWS's, not stricter, so that the local stack is not fairer than SQS.
 */
final class FairQueue implements DeliveryPool {
    static final int CONCURRENCY_SHARE_PERCENT = 10;
    static final int CONCURRENCY_MINIMUM = 30;
    static final int PROCESSING_SHARE_PERCENT = 10;
    /** "Recent" processing time; AWS does not say how recent: the last minute. */
    static final long PROCESSING_WINDOW_NANOS = 60_000_000_000L;
    /** The receiver stops receiving while this many wait here: the pool's memory stays bounded. */
    static final int MOST_WAITING = 1_000;

    private record Waiting(Message message, String tenant, long arrival, long since) {
    }

    private record Running(String tenant, long started) {
    }

    private record Finished(String tenant, long started, long ended) {
    }

    private final LongSupplier nanos;
    /** Waiting messages by tenant, each tenant's in arrival order. */
    private final Map<String, ArrayDeque<Waiting>> waiting = new LinkedHashMap<>();
    private final Map<String, Running> running = new HashMap<>();
    private final Map<String, Integer> inFlightByTenant = new HashMap<>();
    private final ArrayDeque<Finished> finished = new ArrayDeque<>();
    private long arrivals;
    private int waitingCount;

    FairQueue() {
        this(System::nanoTime);
    }

    FairQueue(LongSupplier nanos) {
        this.nanos = nanos;
    }

    synchronized void add(List<Message> messages) {
        long now = nanos.getAsLong();
        for (Message message : messages) {
            String group = groupOf(message);
            String tenant = group == null ? "message:" + message.messageId() : "group:" + group;
            waiting.computeIfAbsent(tenant, t -> new ArrayDeque<>()).add(new Waiting(message, tenant, arrivals++, now));
            waitingCount++;
        }
        notifyAll();
    }

    synchronized boolean full() {
        return waitingCount >= MOST_WAITING;
    }

    /** The next message to deliver, waiting at most {@code millis}; null if none is waiting by then. */
    @Override
    public synchronized Message take(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (waitingCount == 0) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return null;
            }
            wait(left);
        }
        long now = nanos.getAsLong();
        Map<String, Long> processing = processingByTenant(now);
        long processingTotal = processing.values().stream().mapToLong(Long::longValue).sum();
        int inFlightTotal = running.size();
        Waiting quiet = null;
        Waiting noisy = null;
        for (ArrayDeque<Waiting> queue : waiting.values()) {
            Waiting head = queue.peekFirst();
            if (noisy(head.tenant(), inFlightTotal, processing, processingTotal)) {
                if (noisy == null || inFlight(head.tenant()) < inFlight(noisy.tenant())
                        || inFlight(head.tenant()) == inFlight(noisy.tenant()) && head.arrival() < noisy.arrival()) {
                    noisy = head;
                }
            } else if (quiet == null || head.arrival() < quiet.arrival()) {
                quiet = head;
            }
        }
        Waiting chosen = quiet != null ? quiet : noisy;
        ArrayDeque<Waiting> queue = waiting.get(chosen.tenant());
        queue.removeFirst();
        if (queue.isEmpty()) {
            waiting.remove(chosen.tenant());
        }
        waitingCount--;
        running.put(key(chosen.message()), new Running(chosen.tenant(), now));
        inFlightByTenant.merge(chosen.tenant(), 1, Integer::sum);
        notifyAll();
        return chosen.message();
    }

    /** The message {@code take} gave is processed (deleted, or left to come back): its tenant has one less in flight. */
    @Override
    public synchronized void done(Message message) {
        Running run = running.remove(key(message));
        if (run != null) {
            inFlightByTenant.merge(run.tenant(), -1, Integer::sum);
            finished.add(new Finished(run.tenant(), run.started(), nanos.getAsLong()));
        }
        notifyAll();
    }

    /**
     * The waiting messages received more than {@code nanosAgo} ago, restamped as received now: the receiver extends
     * their visibility so that a message waiting here is not received a second time.
     */
    synchronized List<Message> waitingLongerThan(long nanosAgo) {
        long now = nanos.getAsLong();
        List<Message> old = new ArrayList<>();
        for (ArrayDeque<Waiting> queue : waiting.values()) {
            List<Waiting> restamped = new ArrayList<>();
            for (Iterator<Waiting> it = queue.iterator(); it.hasNext(); ) {
                Waiting w = it.next();
                if (now - w.since() > nanosAgo) {
                    old.add(w.message());
                    restamped.add(new Waiting(w.message(), w.tenant(), w.arrival(), now));
                    it.remove();
                }
            }
            queue.addAll(restamped);
            List<Waiting> sorted = new ArrayList<>(queue);
            sorted.sort((x, y) -> Long.compare(x.arrival(), y.arrival()));
            queue.clear();
            queue.addAll(sorted);
        }
        return old;
    }

    private boolean noisy(String tenant, int inFlightTotal, Map<String, Long> processing, long processingTotal) {
        int inFlight = inFlight(tenant);
        boolean concurrency = inFlight >= CONCURRENCY_MINIMUM && inFlight * 100L > (long) inFlightTotal * CONCURRENCY_SHARE_PERCENT;
        boolean time = processingTotal > 0
                && processing.getOrDefault(tenant, 0L) * 100.0 > processingTotal * (double) PROCESSING_SHARE_PERCENT;
        return concurrency || time;
    }

    /** Each tenant's processing time within the window: finished messages' and those still in flight. */
    private Map<String, Long> processingByTenant(long now) {
        long from = now - PROCESSING_WINDOW_NANOS;
        while (!finished.isEmpty() && finished.peekFirst().ended() < from) {
            finished.removeFirst();
        }
        Map<String, Long> time = new HashMap<>();
        for (Finished f : finished) {
            time.merge(f.tenant(), f.ended() - Math.max(f.started(), from), Long::sum);
        }
        for (Running r : running.values()) {
            time.merge(r.tenant(), now - Math.max(r.started(), from), Long::sum);
        }
        return time;
    }

    /** The message's {@code MessageGroupId}, which ElasticMQ keeps on a standard queue too (FairQueueTest). */
    static String groupOf(Message message) {
        return message.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
    }

    /** A receive's own: a message received again while its first copy runs is another delivery. */
    private static String key(Message message) {
        return message.receiptHandle() != null ? message.receiptHandle() : message.messageId();
    }

    private int inFlight(String tenant) {
        return inFlightByTenant.getOrDefault(tenant, 0);
    }
}
