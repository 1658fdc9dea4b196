package dev.trawl.core.output;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trawl.core.extract.Extraction;
import dev.trawl.core.extract.ValueType;
import dev.trawl.core.util.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CsvRowsTest {

    private static List<Extraction.Column> columns(String... names) {
        return java.util.Arrays.stream(names).map(n -> new Extraction.Column(n, ValueType.STRING, false)).toList();
    }

    @Test
    void theHeaderHasTheContractsColumnsThenDataThenMeta() throws IOException {
        StringWriter out = new StringWriter();
        new CsvRows(out, columns("name", "price")).writeHeader();
        assertEquals("line,url,status,http_status,final_url,content_type,bytes,elapsed_ms,attempts,fetched_at,"
                + "error_code,error_message,data.name,data.price,meta\r\n", out.toString());
    }

    @Test
    void aRowIsQuotedOnlyWhereRfc4180NeedsIt() throws IOException {
        JsonNode row = Json.read("""
                {"line": 7, "url": "https://a.example/x?a=1,2", "status": "error", "http_status": 404,
                 "final_url": "https://a.example/x?a=1,2", "content_type": "text/html; charset=\\"utf-8\\"",
                 "bytes": 12, "elapsed_ms": 40, "attempts": 1, "fetched_at": "2026-11-24T02:00:00.000Z",
                 "data": {"name": "Blue\\nmug", "price": 12.5}, "meta": {"sku": "B-1"},
                 "error": {"code": "http_error", "message": "HTTP 404"}}""", JsonNode.class);
        StringWriter out = new StringWriter();
        new CsvRows(out, columns("name", "price", "absent")).write(row);
        assertEquals("7,\"https://a.example/x?a=1,2\",error,404,\"https://a.example/x?a=1,2\","
                + "\"text/html; charset=\"\"utf-8\"\"\",12,40,1,2026-11-24T02:00:00.000Z,http_error,HTTP 404,"
                + "\"Blue\nmug\",12.5,,\"{\"\"sku\"\":\"\"B-1\"\"}\"\r\n", out.toString());
    }

    @Test
    void nullsAreEmptyFields() throws IOException {
        JsonNode row = Json.read("{\"line\":1,\"url\":\"not a url\",\"status\":\"error\",\"http_status\":null,"
                + "\"error\":{\"code\":\"invalid_url\",\"message\":\"bad\"},\"meta\":null,\"data\":null}", JsonNode.class);
        StringWriter out = new StringWriter();
        new CsvRows(out, List.of()).write(row);
        assertEquals("1,not a url,error,,,,,,,,invalid_url,bad,\r\n", out.toString());
    }
}
