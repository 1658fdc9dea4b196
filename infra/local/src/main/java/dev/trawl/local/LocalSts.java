package dev.trawl.local;

import com.sun.net.httpserver.HttpServer;
import dev.trawl.local.iam.ClientRoles;
import dev.trawl.local.iam.Identities;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * STS AssumeRole on 127.0.0.1, which none of the emulators provides: any role of any account is "assumed" and
 * answered with credentials of its own (see {@link ClientRoles} for what they may read), so that {@code s3_uri} inputs
 * with a {@code role_arn} run locally against buckets in S3Proxy. A role demands an external id, as a client's role
 * should, unless a test declared it {@link #trustsAnyone careless}: then it is assumed without one too (the
 * confused-deputy case the service must refuse).
 */
final class LocalSts implements AutoCloseable {
    private static final Duration SESSION = Duration.ofHours(1);
    private final HttpServer server;
    private final Set<String> careless = ConcurrentHashMap.newKeySet();

    LocalSts(Set<String> serviceBuckets) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", exchange -> {
            try (exchange) {
                Map<String, String> form = new HashMap<>();
                for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
                    String[] kv = pair.split("=", 2);
                    if (kv.length == 2) {
                        form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
                    }
                }
                boolean ok = "AssumeRole".equals(form.get("Action")) && form.containsKey("RoleArn")
                        && (form.containsKey("ExternalId") || careless.contains(form.get("RoleArn")));
                Identities.Identity role = ok ? ClientRoles.assume(form.get("RoleArn"), form.get("RoleSessionName"),
                        serviceBuckets, SESSION) : null;
                String body = ok ? """
                        <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
                        <Credentials><AccessKeyId>%s</AccessKeyId><SecretAccessKey>%s</SecretAccessKey>
                        <SessionToken>%s</SessionToken><Expiration>%s</Expiration></Credentials>
                        <AssumedRoleUser><AssumedRoleId>AROALOCAL:%s</AssumedRoleId><Arn>%s</Arn></AssumedRoleUser>
                        </AssumeRoleResult><ResponseMetadata><RequestId>local</RequestId></ResponseMetadata></AssumeRoleResponse>"""
                        .formatted(role.accessKeyId(), role.secretAccessKey(), role.sessionToken(), role.expiresAt(),
                                form.get("RoleSessionName"), form.get("RoleArn"))
                        : """
                        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>
                        <Code>AccessDenied</Code><Message>Not authorized to perform sts:AssumeRole on %s</Message>
                        </Error><RequestId>local</RequestId></ErrorResponse>""".formatted(form.get("RoleArn"));
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/xml");
                exchange.sendResponseHeaders(ok ? 200 : 403, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        });
        server.start();
    }

    /** From now on, {@code roleArn} is assumed without an external id too, as a role with a careless trust policy is. */
    void trustsAnyone(String roleArn) {
        careless.add(roleArn);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
