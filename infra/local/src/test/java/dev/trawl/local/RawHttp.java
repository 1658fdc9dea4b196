package dev.trawl.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A request written byte for byte on a socket, for what {@link java.net.http.HttpClient} refuses to send (a query
 * string that does not percent-decode); the answer read to its end, the connection closed.
 */
final class RawHttp {
    record Answer(int status, String body) {
    }

    private RawHttp() {
    }

    static Answer get(URI base, String target, Map<String, String> headers) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: " + base.getHost()
                    + "\r\nConnection: close\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(answer.substring(answer.indexOf(' ') + 1, answer.indexOf(' ') + 4));
            int headersEnd = answer.indexOf("\r\n\r\n");
            return new Answer(status, headersEnd < 0 ? "" : answer.substring(headersEnd + 4));
        }
    }
}
