package dev.seq2seq.app.serve;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The page's files, read once from the jar. Only these names are served: a path is looked up as a
 * key, never joined to a folder, so {@code /../../etc/passwd} is simply not found.
 */
final class StaticFiles {
    private static final String FOLDER = "/dev/seq2seq/app/serve/page/";
    private static final Map<String, String> TYPES = Map.of(
            "/index.html", "text/html; charset=utf-8",
            "/app.js", "text/javascript; charset=utf-8",
            "/style.css", "text/css; charset=utf-8");

    private final Map<String, byte[]> files;

    StaticFiles() {
        files = Map.of("/index.html", read("index.html"), "/app.js", read("app.js"), "/style.css", read("style.css"));
    }

    private static byte[] read(String name) {
        try (InputStream in = StaticFiles.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("the page's " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TranslationServer.Answer answer(HttpExchange exchange) throws TranslationApi.BadRequest {
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            throw new TranslationApi.BadRequest(405, method + " is not allowed here; use GET");
        }
        String path = exchange.getRequestURI().getRawPath();
        String name = path.equals("/") ? "/index.html" : path;
        byte[] body = files.get(name);
        if (body == null) {
            throw new TranslationApi.BadRequest(404, "nothing at " + path);
        }
        // Everything the page needs comes from this server: no script, style or image from elsewhere.
        exchange.getResponseHeaders().set("Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
        return new TranslationServer.Answer(200, TYPES.get(name), method.equals("HEAD") ? new byte[0] : body);
    }
}
