package dev.trawl.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.trawl.core.submit.RetryJob;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the template declares is what the code and openapi.yaml have. */
class TemplateTest {
    private static final Path TEMPLATE = LocalStackExtension.template();

    @Test
    void everyFunctionRunsJava25AndNamesARealHandlerWithBothConstructors() throws Exception {
        Map<String, Object> root = CloudFormationYaml.load(Files.readString(TEMPLATE));
        assertEquals("java25", Template.map(Template.map(root.get("Globals")).get("Function")).get("Runtime"));
        Template template = Template.read(TEMPLATE);
        assertEquals(10, template.functions().size());
        for (Template.FunctionDef function : template.functions().values()) {
            Class<?> handler = Class.forName(function.handlerClass());
            assertTrue(RequestHandler.class.isAssignableFrom(handler), function.handler());
            assertTrue(function.handler().endsWith("::handleRequest"), function.handler());
            Constructor<?>[] constructors = handler.getConstructors();
            assertTrue(Arrays.stream(constructors).anyMatch(c -> c.getParameterCount() == 0), handler + " no-arg constructor");
            assertTrue(Arrays.stream(constructors).anyMatch(c -> c.getParameterCount() > 0 && Modifier.isPublic(c.getModifiers())),
                    handler + " constructor taking its ports");
        }
    }

    @Test
    void everyQueueHasADeadLetterQueueOfTheSameKindAndOutlivesItsFunctionsTimeout() throws Exception {
        Template template = Template.read(TEMPLATE);
        for (Template.FunctionDef function : template.functions().values()) {
            for (Template.SqsSource source : function.sqsSources()) {
                Template.QueueDef queue = template.queues().get(source.queueLogicalId());
                assertNotNull(queue, source.queueLogicalId());
                assertTrue(source.reportBatchItemFailures(), function.logicalId());
                assertTrue(queue.visibilityTimeoutSeconds() >= 6 * function.timeoutSeconds(),
                        queue.logicalId() + " visibility time-out should be at least six times " + function.logicalId() + "'s");
                boolean isDeadLetterQueue = template.queues().values().stream()
                        .anyMatch(q -> queue.logicalId().equals(q.deadLetterQueue()));
                if (isDeadLetterQueue) {
                    continue; // its messages already failed elsewhere; they stay until handled or expired
                }
                Template.QueueDef deadLetter = template.queues().get(queue.deadLetterQueue());
                assertNotNull(deadLetter, queue.logicalId() + " has no dead-letter queue");
                assertEquals(queue.fifo(), deadLetter.fifo(), queue.logicalId());
                assertTrue(queue.maxReceiveCount() > 1);
            }
        }
        assertTrue(template.queues().get("ChunkQueue").fifo());
    }

    @Test
    @SuppressWarnings("unchecked")
    void openApiListsExactlyTheRoutesTheTemplateServes() throws Exception {
        Map<String, Object> openapi = new Yaml().load(Files.readString(TEMPLATE.resolveSibling("openapi.yaml")));
        Set<String> documented = new TreeSet<>();
        ((Map<String, Object>) openapi.get("paths")).forEach((path, operations) ->
                ((Map<String, Object>) operations).keySet().forEach(method -> documented.add(method.toUpperCase() + " " + path)));
        Set<String> served = new TreeSet<>();
        for (Template.FunctionDef function : Template.read(TEMPLATE).functions().values()) {
            for (Template.Route route : function.routes()) {
                if (!route.path().endsWith("+}")) {
                    served.add(route.routeKey());
                }
            }
        }
        assertEquals(served, documented);
    }

    @Test
    void aRetryIsTakenOnlyWhileTheBucketKeepsTheOriginalsWorkFiles() throws Exception {
        Map<String, Object> root = CloudFormationYaml.load(Files.readString(TEMPLATE));
        Map<String, Object> bucket = Template.map(Template.map(Template.map(root.get("Resources")).get("Bucket")).get("Properties"));
        List<?> rules = (List<?>) Template.map(bucket.get("LifecycleConfiguration")).get("Rules");
        Map<String, Object> work = rules.stream().map(Template::map).filter(rule -> "expire-work-files".equals(rule.get("Id")))
                .findFirst().orElseThrow();
        assertEquals("work/", work.get("Prefix"));
        assertEquals(RetryJob.WORK_FILES_KEPT.toDays(), ((Number) work.get("ExpirationInDays")).longValue(),
                "RetryJob decides retry_unavailable from this rule");
    }
}
