package dev.trawl.core.http;

import dev.trawl.core.http.JsonText.Obj;
import dev.trawl.core.upload.UploadStatus;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/** Whole requests for every route and for routes that do not exist, each part anything from valid to hostile. */
final class ApiRequests {
    private static final String[] METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE",
            "get", "Post", ""};
    private static final String[] PATHS = {"/v1/jobs", "/v1/jobs/{id}", "/v1/jobs/{id}/cancel", "/v1/jobs/{id}/retry",
            "/v1/jobs/{id}/metrics", "/v1/jobs/{id}/results", "/v1/uploads", "/v1/uploads/{id}",
            "/v1/jobs/{id}/webhook-deliveries", "/v1/jobs/{id}/webhook-deliveries/redeliver", "/v2/jobs", "/", "",
            "/v1/jobs/", "$default", "/v1/jobs/{id}/../../uploads"};
    /** Path segments as a gateway might pass them on, decoded or not. */
    private static final String[] SEGMENTS = {"..", ".", "%00", "%2F", "%2f", "%2F..%2F", "%zz", "%", "%%", "a/b",
            "../../v1/jobs", "job_%00", "\u0000", "", " ", "job_", "upl_", "null", "{id}", "*", "%E2%80%AE", "%C0%AF",
            "%ED%A0%80", "job_01JD3F2D1A77B0E1XYZ0000000/../x", "job_01JD3F2D1A77B0E1XYZ000000\u0000"};
    private static final String ID_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String[] LIMITS = {"-1", "0", "1", "50", "1000", "1001", "99999999999999999999", "abc", "",
            "+5", " 5", "5 ", "٣", "１", "0x10", "1e3", "2147483648", "-2147483648", "050", "1.0", "NaN"};
    private static final String[] STATUSES = {"all", "active", "terminal", "queued", "running", "cancelling",
            "completed", "failed", "cancelled", "completed,failed", "terminal,active", "", ",", ",,", "ALL",
            " running ", "runnıng", "RUNNİNG", "completed,bogus", "completed,,failed", "all,terminal", "Completed"};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8",
            "APPLICATION/JSON", " application/json ", "application/json;", ";", ";;", "; charset=utf-8", "", " ",
            "text/plain", "text/csv", "application/x-ndjson", "text/plain; charset=latin1", "TEXT/CSV;q=0.5",
            "multipart/form-data; boundary=x", "application/xml", "*/*", "application/json, text/plain"};
    private static final String[] PARAMETERS = {"limit", "cursor", "status", "name_prefix", "purge", "filename"};

    private ApiRequests() {
    }

    /** A request and the fresh world it is sent to. */
    record Trial(FuzzWorld world, ApiRequest request) {
        String describe() {
            ApiRequest r = request;
            return "route=" + Fuzz.shown(r.routeKey()) + " path=" + shownMap(r.pathParameters())
                    + " query=" + shownMap(r.query()) + " headers=" + shownMap(r.headers())
                    + " tenant=" + r.tenant() + " body=" + Fuzz.shown(r.body());
        }

        ApiResponse send() {
            return world.api.handle(request);
        }

        private static String shownMap(Map<String, ?> map) {
            return map.entrySet().stream().map(e -> Fuzz.shown(e.getKey()) + "=" + (e.getValue() instanceof List<?> list
                    ? list.stream().map(v -> Fuzz.shown((String) v)).toList().toString()
                    : Fuzz.shown((String) e.getValue()))).collect(Collectors.joining(", ", "{", "}"));
        }
    }

    /** Trials in a fresh world each, the request drawn with that world's ids at hand. */
    static Gen<Trial> trial(Function<FuzzWorld, Gen<ApiRequest>> request) {
        return random -> {
            FuzzWorld world = new FuzzWorld();
            return new Trial(world, request.apply(world).next(random));
        };
    }

    /** Anything: any route or none, any path, query, headers, body and caller. */
    static Gen<ApiRequest> anything(FuzzWorld world) {
        return random -> {
            String route = routeKey().next(random);
            return new ApiRequest(route, pathParameters(world).next(random), query(world).next(random),
                    headers().next(random), body(route, world).next(random), tenant().next(random));
        };
    }

    static Gen<String> routeKey() {
        return Gen.frequency(
                Gen.weight(80, Gen.elements(HttpApi.ROUTES.stream().sorted().toArray(String[]::new))),
                Gen.weight(10, random -> METHODS[random.nextInt(METHODS.length)] + " " + PATHS[random.nextInt(PATHS.length)]),
                Gen.weight(8, HostileText.SHORT),
                Gen.weight(2, Gen.constant(null)));
    }

    static Gen<String> tenant() {
        return Gen.frequency(
                Gen.weight(75, Gen.constant(FuzzWorld.TENANT)),
                Gen.weight(10, Gen.constant(FuzzWorld.OTHER_TENANT)),
                Gen.weight(15, Gen.constant(null)));
    }

    // ---- paths ---------------------------------------------------------------------------------------------

    static Gen<Map<String, String>> pathParameters(FuzzWorld world) {
        Gen<String> id = id(world);
        return Gen.frequency(
                Gen.weight(85, id.map(value -> Map.of("id", value))),
                Gen.weight(5, Gen.constant(Map.of())),
                Gen.weight(5, random -> Map.of("id", id.next(random), "proxy+", HostileText.SHORT.next(random))),
                Gen.weight(5, id.map(value -> Map.of("ID", value))));
    }

    /** Ids that exist (this tenant's, another's, uploads for jobs), ids almost like them, and segments of any shape. */
    static Gen<String> id(FuzzWorld world) {
        List<String> known = world.knownIds();
        return Gen.frequency(
                Gen.weight(30, random -> known.get(random.nextInt(known.size()))),
                Gen.weight(15, random -> almost(known.get(random.nextInt(known.size())), random)),
                Gen.weight(10, ApiRequests::idShaped),
                Gen.weight(20, Gen.elements(SEGMENTS)),
                Gen.weight(20, HostileText.ANY),
                Gen.weight(2, random -> "job_" + HostileText.sized(random, random.nextInt(10_000, 200_000))));
    }

    /** An id one small step from a real one. */
    static String almost(String id, RandomGenerator random) {
        int at = random.nextInt(id.length());
        return switch (random.nextInt(12)) {
            case 0 -> id.toLowerCase(Locale.ROOT);
            case 1 -> id + "x";
            case 2 -> id.substring(0, id.length() - 1);
            case 3 -> id + "%00";
            case 4 -> id.startsWith("job_") ? "upl_" + id.substring(4) : "job_" + id.substring(4);
            case 5 -> id + "/";
            case 6 -> " " + id;
            case 7 -> id.substring(0, at) + "\u200B" + id.substring(at);
            case 8 -> id.substring(0, at) + (char) ('０' + random.nextInt(10)) + id.substring(at + 1);
            case 9 -> id.chars().mapToObj(c -> String.format("%%%02X", c)).collect(Collectors.joining());
            case 10 -> id + "/cancel";
            default -> "..%2F" + id;
        };
    }

    /** Looks like an id to a careless eye: a prefix, about 26 characters of A-Z and digits (I, L, O and U too). */
    static String idShaped(RandomGenerator random) {
        String[] prefixes = {"job_", "upl_", "evt_", "JOB_", ""};
        StringBuilder id = new StringBuilder(prefixes[random.nextInt(prefixes.length)]);
        for (int i = random.nextInt(25, 28); i > 0; i--) {
            id.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
        }
        return id.toString();
    }

    // ---- query strings -------------------------------------------------------------------------------------

    /** Parameters of this API and others, repeated or not, with values valid, almost valid and hostile. */
    static Gen<Map<String, List<String>>> query(FuzzWorld world) {
        Gen<String> name = Gen.frequency(Gen.weight(80, Gen.elements(PARAMETERS)), Gen.weight(20, HostileText.SHORT));
        return random -> {
            Map<String, List<String>> query = new LinkedHashMap<>();
            if (random.nextInt(10) < 4) {
                return query;
            }
            for (int i = random.nextInt(1, 5); i > 0; i--) {
                String parameter = name.next(random);
                List<String> values = query.computeIfAbsent(parameter, k -> new ArrayList<>());
                if (random.nextInt(50) > 0) { // now and then a name with no value at all
                    values.add(queryValue(parameter, world).next(random));
                }
            }
            return query;
        };
    }

    static Gen<String> queryValue(String parameter, FuzzWorld world) {
        Gen<String> usual = switch (parameter) {
            case "limit" -> Gen.elements(LIMITS);
            case "cursor" -> cursor(world);
            case "status" -> Gen.elements(STATUSES);
            case "name_prefix" -> Gen.elements("seeded", "s", "", "seeded c", "x".repeat(256), "x".repeat(257));
            case "purge" -> Gen.elements("true", "false", "TRUE", "", "1", "yes", "true ");
            case "filename" -> Gen.elements("urls.txt", "", "a/b", "..", "\u0000", "x".repeat(255), "x".repeat(256), "a\\b");
            default -> HostileText.SHORT;
        };
        return Gen.frequency(Gen.weight(75, usual), Gen.weight(25, HostileText.ANY));
    }

    /** Cursors as issued, tampered with, issued to another tenant or by another key, and made up. */
    static Gen<String> cursor(FuzzWorld world) {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        return random -> {
            String issued = world.cursor();
            return switch (random.nextInt(10)) {
                case 0 -> issued;
                case 1 -> tampered(issued, random);
                case 2 -> issued.substring(0, random.nextInt(issued.length()));
                case 3 -> world.api.cursors.encode(FuzzWorld.OTHER_TENANT, world.otherTenantsJob);
                case 4 -> new Cursors("another-key-of-at-least-16-bytes".getBytes(StandardCharsets.UTF_8))
                        .encode(FuzzWorld.TENANT, world.jobIds.values().iterator().next());
                case 5 -> world.api.cursors.encode(FuzzWorld.TENANT, HostileText.SHORT.next(random));
                case 6 -> url.encodeToString(bytes(random)) + "." + url.encodeToString(bytes(random));
                case 7 -> Base64.getEncoder().encodeToString(bytes(random));
                case 8 -> issued + "." + issued;
                default -> HostileText.ANY.next(random) + (random.nextBoolean() ? "." : "");
            };
        };
    }

    private static String tampered(String cursor, RandomGenerator random) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/";
        int at = random.nextInt(cursor.length());
        char replacement;
        do {
            replacement = alphabet.charAt(random.nextInt(alphabet.length()));
        } while (replacement == cursor.charAt(at));
        return cursor.substring(0, at) + replacement + cursor.substring(at + 1);
    }

    private static byte[] bytes(RandomGenerator random) {
        byte[] bytes = new byte[random.nextInt(0, 48)];
        random.nextBytes(bytes);
        return bytes;
    }

    // ---- headers -------------------------------------------------------------------------------------------

    static Gen<Map<String, String>> headers() {
        return random -> {
            Map<String, String> headers = new LinkedHashMap<>();
            if (random.nextInt(10) < 8) {
                headers.put("content-type", contentType().next(random));
            }
            if (random.nextInt(10) < 3) {
                headers.put("idempotency-key", idempotencyKey().next(random));
            }
            if (random.nextInt(10) == 0) {
                headers.put("authorization", HostileText.SHORT.next(random));
            }
            if (random.nextInt(10) == 0) {
                headers.put(HostileText.SHORT.next(random).toLowerCase(Locale.ROOT), HostileText.ANY.next(random));
            }
            return headers;
        };
    }

    static Gen<String> contentType() {
        return Gen.frequency(Gen.weight(85, Gen.elements(CONTENT_TYPES)), Gen.weight(15, HostileText.SHORT));
    }

    /** Keys around the 255-character limit (in characters, emoji counting two), empty, blank and hostile. */
    static Gen<String> idempotencyKey() {
        return Gen.frequency(
                Gen.weight(30, Gen.elements("k", "a".repeat(255), "a".repeat(256), "😀".repeat(127) + "a",
                        "😀".repeat(128), "", " ", "\u0000", "\n", "key with spaces", "ключ")),
                Gen.weight(60, HostileText.ANY),
                Gen.weight(10, random -> HostileText.sized(random, random.nextInt(250, 20_000))));
    }

    // ---- bodies --------------------------------------------------------------------------------------------

    static Gen<String> body(String routeKey, FuzzWorld world) {
        return "POST /v1/uploads".equals(routeKey) ? uploadBody() : jobBody(world);
    }

    /** {@code POST /v1/jobs} bodies: valid, one to three things changed, not JSON, too deep, too big, absent. */
    static Gen<String> jobBody(FuzzWorld world) {
        String readyUpload = world.uploadIds.get(UploadStatus.READY);
        return Gen.frequency(
                Gen.weight(15, random -> JsonText.write(JobRequests.valid(random, readyUpload), random.nextBoolean())),
                Gen.weight(30, random -> mutatedJob(random, readyUpload)),
                Gen.weight(10, HostileText.ANY),
                Gen.weight(8, random -> JsonText.write(HostileJson.VALUE.next(random), random.nextBoolean())),
                Gen.weight(5, HostileJson::deepText),
                Gen.weight(2, ApiRequests::hugeJob),
                Gen.weight(4, Gen.constant(null)),
                Gen.weight(4, Gen.elements("", " ", "\n", "{}", "[]", "null", "{\"input\":null}", "\uFEFF{}")));
    }

    static String mutatedJob(RandomGenerator random, String readyUpload) {
        Obj job = JobRequests.valid(random, readyUpload);
        for (int i = random.nextInt(4) == 0 ? random.nextInt(2, 4) : 1; i > 0; i--) {
            HostileJson.mutate(job, random);
        }
        return JsonText.write(job, random.nextBoolean());
    }

    /** A job body within a few bytes of the 6 MiB limit either way, padded with spaces or a long name. */
    static String hugeJob(RandomGenerator random) {
        String head = "{\"input\":{\"urls\":[\"https://example.com/a\"]}";
        int padding = CreateJobRequest.MAX_BODY_BYTES - head.length() - 1 + random.nextInt(-3, 4);
        return random.nextBoolean() ? head + " ".repeat(padding) + "}"
                : head + ",\"name\":\"" + HostileText.sized(random, padding - 10) + "\"}";
    }

    /** {@code POST /v1/uploads} bodies: a signed-link request, valid or not, or a file's lines. */
    static Gen<String> uploadBody() {
        return Gen.frequency(
                Gen.weight(20, random -> JsonText.write(signedUpload(random, random.nextBoolean()), random.nextBoolean())),
                Gen.weight(20, random -> {
                    Obj ask = signedUpload(random, true);
                    HostileJson.mutate(ask, random);
                    return JsonText.write(ask, random.nextBoolean());
                }),
                Gen.weight(20, ApiRequests::lines),
                Gen.weight(10, HostileText.ANY),
                Gen.weight(2, random -> HostileText.sized(random, 5 * 1024 * 1024 + random.nextInt(-3, 4))),
                Gen.weight(5, Gen.elements(null, "", " ", "\n\n")));
    }

    /** A signed-link request; when {@code valid}, one the contract accepts, else its filename may be anything. */
    static Obj signedUpload(RandomGenerator random, boolean valid) {
        Gen<String> filename = Gen.elements("urls.txt", "urls.ndjson", "u.csv.gz", "ü 😀.txt", "x".repeat(255), "..", "a b");
        return new Obj()
                .with("filename", valid || random.nextBoolean() ? filename.next(random) : HostileText.ANY.next(random))
                .with("size", random.nextBoolean() ? random.nextLong(1, 1L << 30) : (Object) new JsonText.Raw("1073741824"));
    }

    /** A file of URL lines, some of them anything. */
    static String lines(RandomGenerator random) {
        StringBuilder file = new StringBuilder();
        for (int i = random.nextInt(1, 20); i > 0; i--) {
            file.append(random.nextBoolean() ? "https://example.com/" + i : HostileText.SHORT.next(random))
                    .append(random.nextBoolean() ? "\n" : "\r\n");
        }
        return file.toString();
    }
}
