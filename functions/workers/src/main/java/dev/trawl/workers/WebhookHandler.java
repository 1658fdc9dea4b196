package dev.trawl.workers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.trawl.aws.AwsPorts;
import dev.trawl.aws.Config;
import dev.trawl.aws.lambda.Redelivery;
import dev.trawl.aws.lambda.SqsBatch;
import dev.trawl.aws.lambda.SqsRedelivery;
import dev.trawl.core.fetch.TargetPolicy;
import dev.trawl.core.fetch.WebhookPoster;
import dev.trawl.core.message.WebhookTask;
import dev.trawl.core.output.DownloadLinks;
import dev.trawl.core.util.Log;
import dev.trawl.core.webhook.DeliverWebhook;

import java.time.Clock;
import java.time.Duration;

/** Webhook queue → {@link DeliverWebhook}. Its HTTP client and connect tunnel live as long as the container. */
public final class WebhookHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Log LOG = Log.of("webhook");
    private final DeliverWebhook deliverWebhook;
    private final Redelivery redelivery;

    public WebhookHandler() {
        this(AwsPorts.fromEnvironment());
    }

    private WebhookHandler(AwsPorts ports) {
        this(new DeliverWebhook(ports.jobs(), ports.deliveries(),
                new DownloadLinks(Config.require(ports.config().linkSigningKey(), "LINK_SIGNING_KEY"))
                        .under(Config.require(ports.config().publicApiUrl(), "PUBLIC_API_URL")),
                Config.require(ports.secrets(), "KMS_KEY_ID"), ports.queue(),
                WebhookPoster.create(TargetPolicy.publicOnly(ports.config().allowTargets())), Clock.systemUTC(),
                Duration.ofSeconds(ports.config().webhookRetryBaseSeconds()), DeliverWebhook.DEFAULT_CAP,
                DeliverWebhook.DEFAULT_WINDOW), SqsRedelivery.fromConfig(ports.config()));
    }

    public WebhookHandler(DeliverWebhook deliverWebhook) {
        this(deliverWebhook, Redelivery.NONE);
    }

    public WebhookHandler(DeliverWebhook deliverWebhook, Redelivery redelivery) {
        this.deliverWebhook = deliverWebhook;
        this.redelivery = redelivery;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return SqsBatch.run(event, WebhookTask.class, LOG, redelivery, deliverWebhook::deliver);
    }
}
