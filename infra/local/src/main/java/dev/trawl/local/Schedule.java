package dev.trawl.local;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code Schedule} event of the template: invokes its function with a real {@link ScheduledEvent} at the
 * expression's rate. {@code rate(N minute[s]|hour[s]|day[s])} as EventBridge has it; locally also
 * {@code rate(N second[s])}, so that tests need not wait a minute.
 */
final class Schedule {
    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (second|minute|hour|day)s?\\)");
    private final Duration every;
    private final FunctionHost function;
    private volatile boolean running = true;
    private Thread thread;

    Schedule(String expression, FunctionHost function) {
        this.every = parse(expression);
        this.function = function;
    }

    static Duration parse(String expression) {
        Matcher rate = RATE.matcher(expression.strip().toLowerCase(Locale.ROOT));
        if (!rate.matches()) {
            throw new IllegalArgumentException("the local runtime runs rate(...) schedules only, not " + expression);
        }
        long n = Long.parseLong(rate.group(1));
        return switch (rate.group(2)) {
            case "second" -> Duration.ofSeconds(n);
            case "minute" -> Duration.ofMinutes(n);
            case "hour" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    void start() {
        thread = Thread.ofVirtual().name(function.name() + "-schedule").start(() -> {
            while (running) {
                try {
                    Thread.sleep(every);
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    function.invoke(event());
                } catch (FunctionHost.InvocationFailed e) {
                    // EventBridge would retry later; the next tick does the same work
                }
            }
        });
    }

    static ScheduledEvent event() {
        ScheduledEvent event = new ScheduledEvent();
        event.setId(UUID.randomUUID().toString());
        event.setAccount("000000000000");
        event.setRegion(EmbeddedStack.REGION);
        event.setSource("aws.events");
        event.setDetailType("Scheduled Event");
        event.setTime(new DateTime(DateTimeZone.UTC));
        event.setResources(List.of("arn:aws:events:" + EmbeddedStack.REGION + ":000000000000:rule/local"));
        event.setDetail(Map.of());
        return event;
    }

    void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
