package dev.trawl.local;

import dev.trawl.aws.AwsClients;
import dev.trawl.aws.Config;
import dev.trawl.aws.DynamoApiKeyStore;
import dev.trawl.aws.DynamoTable;
import dev.trawl.core.auth.Authenticator;
import dev.trawl.core.auth.TenantId;
import dev.trawl.core.util.Ids;
import dev.trawl.core.util.Json;
import dev.trawl.local.iam.Arns;
import dev.trawl.local.iam.DynamoKeySchemas;
import dev.trawl.local.iam.FunctionPolicies;
import dev.trawl.local.iam.Identities;
import dev.trawl.local.iam.Policy;
import dev.trawl.local.iam.Principal;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Trawl in one JVM: the embedded emulators (or another {@link Backend}), the resources of {@code template.yaml}
 * created in them, and the template's functions wired to their HTTP routes and queues exactly as the template
 * declares.
 */
public final class LocalRuntime implements AutoCloseable {

    /**
     * @param port         the API's port on 127.0.0.1 (0 picks a free one)
     * @param apiKeys      API key → tenant; every tenant id keeps to {@link TenantId#RULE}, else the options are
     *                     refused with an {@link IllegalArgumentException}
     * @param allowTargets {@code host} or {@code host:port} entries the fetch target policy lets through
     * @param parameters   template parameter values that override the local defaults
     * @param pollQueues   whether the event sources run (SQS pollers, schedules, S3 notifications); without them,
     *                     only direct invocations move a job
     * @param iam          whether each function's AWS calls are held to the policies the template gives it, as AWS
     *                     does (on but for debugging)
     * @param credentialLifetime how long a function's credentials work, as a Lambda role's session credentials do
     *                     (null: as long as the runtime runs)
     * @param awsLatency   the latency every SDK call to the runtime's emulators gets ({@link LatencyProfile}); by
     *                     default the one the system property {@code trawl.awsLatency} names, none when unset
     */
    public record Options(Path template, int port, Map<String, String> apiKeys, Set<String> allowTargets,
                          Map<String, String> parameters, boolean pollQueues, boolean iam, Duration credentialLifetime,
                          LatencyProfile awsLatency) {
        public Options(Path template, int port, Map<String, String> apiKeys, Set<String> allowTargets,
                       Map<String, String> parameters, boolean pollQueues) {
            this(template, port, apiKeys, allowTargets, parameters, pollQueues, true, null,
                    LatencyProfile.fromSystemProperty());
        }

        public Options withIam(boolean on) {
            return new Options(template, port, apiKeys, allowTargets, parameters, pollQueues, on, credentialLifetime,
                    awsLatency);
        }

        public Options withCredentialLifetime(Duration lifetime) {
            return new Options(template, port, apiKeys, allowTargets, parameters, pollQueues, iam, lifetime, awsLatency);
        }

        public Options withAwsLatency(LatencyProfile profile) {
            return new Options(template, port, apiKeys, allowTargets, parameters, pollQueues, iam, credentialLifetime,
                    profile);
        }

        public Options {
            apiKeys = Map.copyOf(apiKeys);
            apiKeys.values().forEach(TenantId::require);
            allowTargets = Set.copyOf(allowTargets);
            parameters = Map.copyOf(parameters);
            awsLatency = awsLatency == null ? LatencyProfile.NONE : awsLatency;
        }
    }

    private final Backend backend;
    private final AwsClients clients;
    private final Map<String, FunctionHost> functions = new LinkedHashMap<>();
    private volatile InvocationFaults faults = InvocationFaults.NONE;
    private final List<SqsEventSource> eventSources = new ArrayList<>();
    private final List<Schedule> schedules = new ArrayList<>();
    private final S3Notifications notifications;
    private final Map<String, String> resourceNames = new HashMap<>();
    private final List<String> issuedKeys = new ArrayList<>();
    private static final String KEY_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final SecureRandom KEY_RANDOM = new SecureRandom();
    private final Map<String, Template.TableDef> tables = new HashMap<>();
    private final List<String> queueUrls = new ArrayList<>();
    private HttpApiGateway gateway;
    private AwsLatency.Account latency;
    private String keyTable;

    private LocalRuntime(Backend backend, S3Notifications notifications) {
        this.backend = backend;
        this.notifications = notifications;
        this.clients = new AwsClients(Config.fromEnv(baseEnvironment(backend, Map.of("TABLE_NAME", "-", "BUCKET_NAME", "-"))));
    }

    /** On the embedded emulators, which it starts and closes. */
    public static LocalRuntime start(Options options) throws Exception {
        Template template = Template.read(options.template(), options.parameters());
        return start(template, options, EmbeddedStack.start());
    }

    /**
     * On {@code backend}, which the runtime closes with itself. The per-function credentials and the SDK's IAM checks
     * are the same on every backend; S3's own check of each request is the embedded stack's (S3Proxy sees them).
     */
    public static LocalRuntime start(Options options, Backend backend) throws Exception {
        Template template;
        try {
            template = Template.read(options.template(), options.parameters());
        } catch (Exception | Error e) {
            backend.close();
            throw e;
        }
        return start(template, options, backend);
    }

    private static LocalRuntime start(Template template, Options options, Backend backend) throws Exception {
        LocalRuntime runtime = new LocalRuntime(backend, new S3Notifications());
        try {
            runtime.wire(template, options);
            return runtime;
        } catch (Exception | Error e) {
            runtime.close();
            throw e;
        }
    }

    public URI apiUrl() {
        return URI.create("http://127.0.0.1:" + gateway.port());
    }

    /** The embedded emulators the runtime runs on; a runtime on another backend has none. */
    public EmbeddedStack stack() {
        if (backend instanceof EmbeddedStack stack) {
            return stack;
        }
        throw new IllegalStateException("this runtime runs on " + backend.getClass().getSimpleName() + ", not the embedded stack");
    }

    public Backend backend() {
        return backend;
    }

    public AwsClients clients() {
        return clients;
    }

    /** The table holding the API keys (the template's table), as the runtime named it. */
    public String keyTable() {
        return keyTable;
    }

    /** The AWS latency the runtime's emulators answer with, and what it added to their calls so far. */
    public AwsLatency.Account awsLatency() {
        return latency;
    }

    public InvocationFaults faults() {
        return faults;
    }

    /** Installs faults for the deliveries from now on; {@link InvocationFaults#NONE} clears them. */
    public void faults(InvocationFaults faults) {
        this.faults = faults;
    }

    /** Invokes a function of the template directly, as {@code sam local invoke} does, and returns its answer. */
    public Object invoke(String functionLogicalId, Object event) throws Exception {
        FunctionHost function = functions.get(functionLogicalId);
        if (function == null) {
            throw new IllegalArgumentException("no function " + functionLogicalId + " in the template");
        }
        return function.invoke(event);
    }

    /** The environment a function of the template runs with: its variables, endpoints and its own credentials. */
    public Map<String, String> environmentOf(String functionLogicalId) {
        FunctionHost function = functions.get(functionLogicalId);
        if (function == null) {
            throw new IllegalArgumentException("no function " + functionLogicalId + " in the template");
        }
        return function.environment();
    }

    public Set<String> functionNames() {
        return functions.keySet();
    }

    /** The local name (or URL, for a queue) a template resource's {@code Ref} stands for. */
    public String resource(String logicalId) {
        return resourceNames.get(logicalId);
    }

    private void wire(Template template, Options options) throws Exception {
        // From the first call: the runtime's own (creating resources, polling queues) as the functions'.
        latency = AwsLatency.register(options.awsLatency(), List.of(backend.dynamoDbEndpoint(), backend.sqsEndpoint(),
                backend.s3Endpoint(), backend.stsEndpoint(), backend.kmsEndpoint()));
        Map<String, Object> references = new HashMap<>();
        for (Template.TableDef table : template.tables().values()) {
            createTable(table, table.logicalId());
            tables.put(table.logicalId(), table);
            references.put(table.logicalId(), table.logicalId());
        }
        parameters(template, options).forEach(references::put);
        references.put("AWS::Region", EmbeddedStack.REGION);
        references.put("AWS::AccountId", Arns.ACCOUNT);
        references.put("AWS::Partition", "aws");
        references.put("AWS::StackName", "trawl-local");
        // The gateway's address is known before the functions, whose links point at it (PUBLIC_API_URL).
        int apiPort = options.port() == 0 ? EmbeddedStack.freePort() : options.port();
        String publicApiUrl = "http://127.0.0.1:" + apiPort;
        for (Template.FunctionDef function : template.functions().values()) {
            function.routes().forEach(route -> references.put(route.apiId(), "127.0.0.1:" + apiPort));
        }
        IntrinsicResolver names = new IntrinsicResolver(references, Map.of());
        for (Map.Entry<String, Map<String, Object>> bucket : template.buckets().entrySet()) {
            Object declared = bucket.getValue().get("BucketName");
            String name = declared == null ? "trawl-" + bucket.getKey().toLowerCase(Locale.ROOT) : names.resolve(declared);
            clients.s3().createBucket(b -> b.bucket(name));
            backend.serviceBucket(name, notifications::objectCreated);
            references.put(bucket.getKey(), name);
        }
        Map<String, String> queueArns = createQueues(template, references);
        Map<String, String> arns = new HashMap<>(queueArns);
        for (String key : template.keys()) {
            String keyId = backend.createKey();
            references.put(key, keyId);
            arns.put(key, Arns.key(keyId));
        }
        references.forEach((id, value) -> resourceNames.put(id, String.valueOf(value)));

        IntrinsicResolver resolver = new IntrinsicResolver(references, arns);
        Map<String, FunctionHost> hosts = functions;
        Map<String, Object> resources = Template.map(CloudFormationYaml.load(Files.readString(options.template())).get("Resources"));
        for (Template.FunctionDef function : template.functions().values()) {
            Map<String, String> environment = baseEnvironment(backend, Map.of());
            function.environment().forEach((name, value) -> environment.put(name, resolver.resolve(value)));
            if (environment.containsKey("PUBLIC_API_URL")) {
                environment.put("PUBLIC_API_URL", publicApiUrl); // API Gateway's address on AWS; the local gateway's here
            }
            environment.put("AWS_LAMBDA_FUNCTION_NAME", function.logicalId());
            environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
            Policy policy = options.iam() ? FunctionPolicies.read(function.logicalId(),
                    Template.map(Template.map(resources.get(function.logicalId())).get("Properties")).get("Policies"),
                    resolver::resolve) : null;
            FunctionHost host = new FunctionHost(function,
                    () -> container(function.logicalId(), policy, environment, options.credentialLifetime()));
            hosts.put(function.logicalId(), host);
        }

        keyTable = template.tables().keySet().iterator().next();
        DynamoApiKeyStore keys = new DynamoApiKeyStore(new DynamoTable(clients.dynamoDb(), keyTable));
        options.apiKeys().forEach((key, tenant) -> keys.put(Authenticator.hashOf(key), tenant));

        for (Template.FunctionDef function : options.pollQueues() ? template.functions().values() : List.<Template.FunctionDef>of()) {
            for (Template.SqsSource source : function.sqsSources()) {
                SqsEventSource eventSource = new SqsEventSource(clients.sqs(), resourceNames.get(source.queueLogicalId()),
                        queueArns.get(source.queueLogicalId()), source, hosts.get(function.logicalId()), this::faults);
                eventSources.add(eventSource);
                eventSource.start();
            }
        }

        if (options.pollQueues()) {
            for (Template.FunctionDef function : template.functions().values()) {
                for (Template.S3Source source : function.s3Sources()) {
                    notifications.subscribe(resourceNames.get(source.bucketLogicalId()), source, hosts.get(function.logicalId()));
                }
                for (Object expression : function.schedules()) {
                    Schedule schedule = new Schedule(resolver.resolve(expression), hosts.get(function.logicalId()));
                    schedules.add(schedule);
                    schedule.start();
                }
            }
        }

        Map<Template.Route, FunctionHost> routes = new LinkedHashMap<>();
        String apiId = null;
        for (Template.FunctionDef function : template.functions().values()) {
            for (Template.Route route : function.routes()) {
                routes.put(route, hosts.get(function.logicalId()));
                apiId = route.apiId();
            }
        }
        Template.AuthorizerDef authorizer = apiId == null ? null : template.apiAuthorizers().get(apiId);
        // openapi.yaml beside the template, as in the repository: the one copy, read where it is edited.
        DocsSite docs = new DocsSite(options.template().resolveSibling("openapi.yaml"));
        gateway = new HttpApiGateway(apiPort, routes,
                authorizer == null ? null : new LambdaAuthorizer(authorizer, hosts.get(authorizer.functionLogicalId())), docs);
        gateway.start();
    }

    /**
     * A container of the function: its environment with credentials of its own, as Lambda gives each function its
     * role's. The emulators and the SDK tell its calls apart by them and hold them to its policies (or, without IAM,
     * let them do anything). With a lifetime, the credentials are session credentials that stop working then, and a
     * new container takes over halfway through.
     */
    private FunctionHost.Container container(String function, Policy policy, Map<String, String> environment,
                                             Duration lifetime) {
        Principal principal = policy == null ? new Principal.Administrator() : new Principal.FunctionRole(function, policy);
        Instant now = Instant.now();
        Identities.Identity identity = new Identities.Identity(randomKey(lifetime == null ? "AKIA" : "ASIA", 16),
                randomKey("", 40), lifetime == null ? null : randomKey("", 64), lifetime == null ? null : now.plus(lifetime),
                principal);
        Identities.register(identity);
        synchronized (issuedKeys) {
            issuedKeys.add(identity.accessKeyId());
        }
        Map<String, String> withCredentials = new HashMap<>(environment);
        withCredentials.put("AWS_ACCESS_KEY_ID", identity.accessKeyId());
        withCredentials.put("AWS_SECRET_ACCESS_KEY", identity.secretAccessKey());
        if (identity.sessionToken() != null) {
            withCredentials.put("AWS_SESSION_TOKEN", identity.sessionToken());
        }
        return new FunctionHost.Container(withCredentials, lifetime == null ? null : now.plus(lifetime.dividedBy(2)));
    }

    /** Letters and digits only: DynamoDB Local refuses other access keys. */
    private static String randomKey(String prefix, int length) {
        StringBuilder key = new StringBuilder(prefix);
        for (int i = 0; i < length; i++) {
            key.append(KEY_CHARACTERS.charAt(KEY_RANDOM.nextInt(KEY_CHARACTERS.length())));
        }
        return key.toString();
    }

    private static Map<String, String> parameters(Template template, Options options) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> parameter : template.parameters().entrySet()) {
            Object fallback = Template.map(parameter.getValue()).get("Default");
            values.put(parameter.getKey(), fallback == null ? "" : String.valueOf(fallback));
        }
        // Local values: a fresh cursor key per run, and the operator's allowed fetch targets.
        values.put("CursorSigningKey", Ids.secret(32));
        values.put("LinkSigningKey", Ids.secret(32));
        values.put("AllowTargets", String.join(",", options.allowTargets()));
        values.putAll(options.parameters());
        return values;
    }

    /**
     * Creates another table, named {@code name}, exactly as the template defines {@code logicalId}: for tests that
     * need the table's layout without the functions reading it (the reaper sweeps the template's table across
     * tenants every few seconds, and acts on what it finds).
     */
    public synchronized void createTableLike(String logicalId, String name) {
        Template.TableDef table = tables.get(logicalId);
        if (table == null) {
            throw new IllegalArgumentException("no table " + logicalId + " in the template");
        }
        createTable(table, name);
    }

    private void createTable(Template.TableDef table, String name) {
        DynamoDbClient db = clients.dynamoDb();
        Set<String> keyAttributes = new java.util.LinkedHashSet<>();
        keyAttributes.add(table.hashKey());
        if (table.rangeKey() != null) {
            keyAttributes.add(table.rangeKey());
        }
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        for (Template.IndexDef index : table.indexes()) {
            keyAttributes.add(index.hashKey());
            if (index.rangeKey() != null) {
                keyAttributes.add(index.rangeKey());
            }
            indexes.add(GlobalSecondaryIndex.builder().indexName(index.name())
                    .keySchema(keySchema(index.hashKey(), index.rangeKey()))
                    .projection(p -> p.projectionType(index.projection())
                            .nonKeyAttributes(index.included().isEmpty() ? null : index.included()))
                    .build());
        }
        List<AttributeDefinition> attributes = keyAttributes.stream().map(attribute -> AttributeDefinition.builder()
                .attributeName(attribute)
                .attributeType(ScalarAttributeType.fromValue(table.attributeTypes().getOrDefault(attribute, "S")))
                .build()).toList();
        DynamoKeySchemas.register(name, null, table.hashKey());
        table.indexes().forEach(index -> DynamoKeySchemas.register(name, index.name(), index.hashKey()));
        db.createTable(b -> b.tableName(name).keySchema(keySchema(table.hashKey(), table.rangeKey()))
                .attributeDefinitions(attributes).globalSecondaryIndexes(indexes.isEmpty() ? null : indexes)
                .billingMode(BillingMode.PAY_PER_REQUEST));
        if (table.ttlAttribute() != null) {
            db.updateTimeToLive(b -> b.tableName(name)
                    .timeToLiveSpecification(t -> t.attributeName(table.ttlAttribute()).enabled(true)));
        }
    }

    private static List<KeySchemaElement> keySchema(String hash, String range) {
        List<KeySchemaElement> keys = new ArrayList<>();
        keys.add(KeySchemaElement.builder().attributeName(hash).keyType(KeyType.HASH).build());
        if (range != null) {
            keys.add(KeySchemaElement.builder().attributeName(range).keyType(KeyType.RANGE).build());
        }
        return keys;
    }

    /** Dead-letter queues first, so that redrive policies can name them. */
    private Map<String, String> createQueues(Template template, Map<String, Object> references) {
        SqsClient sqs = clients.sqs();
        Map<String, String> arns = new HashMap<>();
        List<Template.QueueDef> ordered = new ArrayList<>(template.queues().values());
        ordered.sort((a, b) -> Boolean.compare(a.deadLetterQueue() != null, b.deadLetterQueue() != null));
        for (Template.QueueDef queue : ordered) {
            String name = queue.logicalId() + (queue.fifo() ? ".fifo" : "");
            Map<String, String> attributes = new HashMap<>();
            attributes.put("VisibilityTimeout", Integer.toString(queue.visibilityTimeoutSeconds()));
            attributes.put("DelaySeconds", Integer.toString(queue.delaySeconds()));
            if (queue.fifo()) {
                attributes.put("FifoQueue", "true");
                attributes.put("ContentBasedDeduplication",
                        String.valueOf(Boolean.TRUE.equals(queue.properties().get("ContentBasedDeduplication"))));
            }
            if (queue.deadLetterQueue() != null) {
                attributes.put("RedrivePolicy", Json.write(Map.of("deadLetterTargetArn", arns.get(queue.deadLetterQueue()),
                        "maxReceiveCount", queue.maxReceiveCount())));
            }
            String url = sqs.createQueue(b -> b.queueName(name).attributesWithStrings(attributes)).queueUrl();
            String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("QueueArn"))
                    .attributesAsStrings().get("QueueArn");
            arns.put(queue.logicalId(), arn);
            // ElasticMQ ignores MaximumMessageSize: the SDK clients of this JVM check it (SqsMessageLimit).
            SqsMessageLimit.declare(url, queue.maximumMessageSize());
            queueUrls.add(url);
            references.put(queue.logicalId(), url);
            references.put(queue.logicalId() + ".QueueName", name);
        }
        return arns;
    }

    /** What every local function sees besides its template variables: region, credentials, emulator endpoints. */
    private static Map<String, String> baseEnvironment(Backend backend, Map<String, String> extra) {
        Map<String, String> environment = new HashMap<>(extra);
        environment.put("AWS_REGION", EmbeddedStack.REGION);
        environment.put("AWS_ACCESS_KEY_ID", backend.credentials().accessKeyId());
        environment.put("AWS_SECRET_ACCESS_KEY", backend.credentials().secretAccessKey());
        environment.put("AWS_ENDPOINT_URL_DYNAMODB", backend.dynamoDbEndpoint().toString());
        environment.put("AWS_ENDPOINT_URL_SQS", backend.sqsEndpoint().toString());
        environment.put("AWS_ENDPOINT_URL_S3", backend.s3Endpoint().toString());
        environment.put("S3_PUBLIC_ENDPOINT", backend.s3Endpoint().toString());
        environment.put("AWS_ENDPOINT_URL_STS", backend.stsEndpoint().toString());
        environment.put("AWS_ENDPOINT_URL_KMS", backend.kmsEndpoint().toString());
        return environment;
    }

    @Override
    public void close() {
        if (gateway != null) {
            gateway.stop();
        }
        notifications.close();
        eventSources.forEach(SqsEventSource::stop);
        schedules.forEach(Schedule::stop);
        functions.values().forEach(FunctionHost::close);
        synchronized (issuedKeys) {
            issuedKeys.forEach(Identities::forget);
        }
        queueUrls.forEach(SqsMessageLimit::forget);
        clients.close();
        backend.close();
        if (latency != null) {
            AwsLatency.forget(latency);
        }
    }
}
