package dev.trawl.local;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The HTTP server of the local API Gateway. Jetty, rather than the JDK's server, because it hands on what a client
 * sent as sent, as API Gateway does: a query string that does not percent-decode ({@code ?cursor=%%%}) or characters
 * the JDK's server refuses with a bare HTML 400 before any handler runs. What Jetty itself still refuses (a request
 * it cannot parse) is answered in the contract's error form too.
 */
final class GatewayServer implements AutoCloseable {
    /**
     * A request as API Gateway sees it: the raw path and query string as sent, header names lower case with repeated
     * headers joined by commas, and the body unread.
     *
     * @param contentLength the declared length, or -1
     */
    record Request(String method, String rawPath, String rawQuery, Map<String, String> headers, InputStream body,
                   long contentLength, String sourceIp) {
    }

    record Response(int status, Map<String, String> headers, byte[] body) {
    }

    @FunctionalInterface
    interface Exchange {
        Response answer(Request request) throws IOException;
    }

    /** Longer than any integration time-out, so that a client waiting for its answer keeps its connection. */
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);
    /** Not a limit the local gateway enforces: larger than API Gateway's, so that it refuses nothing AWS takes. */
    private static final int HEADER_BYTES = 64 * 1024;

    private final Server server;
    private final ServerConnector connector;
    private final Exchange exchange;

    GatewayServer(int port, Exchange exchange) {
        this.exchange = exchange;
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("local-api-gateway");
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        // Paths that are ambiguous or oddly encoded reach the routes, as they reach API Gateway's /{proxy+}.
        http.setUriCompliance(UriCompliance.UNSAFE);
        http.setRequestHeaderSize(HEADER_BYTES);
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                                  Callback callback) {
                // Answers wait for functions: on a virtual thread each, never holding one of Jetty's.
                Thread.ofVirtual().name("local-api-gateway-request").start(() -> serve(request, response, callback));
                return true;
            }
        });
        server.setErrorHandler(new ErrorsInTheContractsForm());
    }

    void start() throws Exception {
        server.start();
    }

    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping the rest of the stack matters more
        }
    }

    private void serve(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                       Callback callback) {
        Response answer;
        try {
            HttpURI uri = request.getHttpURI();
            Map<String, String> headers = new LinkedHashMap<>();
            for (HttpField field : request.getHeaders()) {
                headers.merge(field.getLowerCaseName(), field.getValue(), (first, next) -> first + "," + next);
            }
            answer = exchange.answer(new Request(request.getMethod().toUpperCase(Locale.ROOT), uri.getPath(),
                    uri.getQuery() == null ? "" : uri.getQuery(), headers,
                    org.eclipse.jetty.server.Request.asInputStream(request), request.getLength(),
                    org.eclipse.jetty.server.Request.getRemoteAddr(request)));
        } catch (IOException | RuntimeException e) {
            answer = GatewayAnswers.internalServerError();
        }
        write(request.getMethod(), answer, response, callback);
    }

    private static void write(String method, Response answer, org.eclipse.jetty.server.Response response,
                              Callback callback) {
        response.setStatus(answer.status());
        HttpFields.Mutable headers = response.getHeaders();
        answer.headers().forEach(headers::put);
        headers.put("apigw-requestid", UUID.randomUUID().toString());
        boolean noBody = answer.status() == 204 || answer.status() == 304;
        if (!noBody) {
            headers.put(HttpHeader.CONTENT_LENGTH, answer.body().length);
        }
        boolean head = method.equalsIgnoreCase("HEAD");
        response.write(true, noBody || head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(answer.body()), callback);
    }

    /** Jetty's own refusals (a request it cannot parse, headers too large) in the contract's error form. */
    private static final class ErrorsInTheContractsForm extends ErrorHandler {
        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            Response answer = GatewayAnswers.forStatus(status);
            answer.headers().forEach(fields::put);
            return ByteBuffer.wrap(answer.body());
        }

        @Override
        protected void generateResponse(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                                        int code, String message, Throwable cause, Callback callback) {
            GatewayServer.write(request.getMethod(), GatewayAnswers.forStatus(code), response, callback);
        }
    }
}
