// The real sandbox, spawned from the freshly built `cardscan` binary; its
// JSON banner gives the URLs and the test key.
package ai.cardscan.core.test

import ai.cardscan.core.*
import java.io.BufferedReader
import java.io.InputStreamReader
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

class Sandbox private constructor(
    private val process: Process,
    val baseUrl: String,
    val wsUrl: String,
    val adminUrl: String,
    val apiKey: String,
) : AutoCloseable {
    private val http = HttpClient.newHttpClient()

    companion object {
        fun start(cli: String): Sandbox {
            val process = ProcessBuilder(
                cli, "--json", "sandbox", "--addr", "127.0.0.1:0",
                "--state-delay-ms", "20", "--enrich-delay-ms", "40", "--eligibility-delay-ms", "20",
            ).redirectError(ProcessBuilder.Redirect.INHERIT).start()
            val reader = BufferedReader(InputStreamReader(process.inputStream))
            val banner = reader.readLine() ?: run {
                process.destroy()
                throw IllegalStateException("the sandbox printed nothing (exit ${process.waitFor()})")
            }
            fun field(name: String): String =
                Regex("\"$name\"\\s*:\\s*\\[?\\s*\"([^\"]+)\"").find(banner)?.groupValues?.get(1)
                    ?: throw IllegalStateException("no $name in the sandbox banner: $banner")
            return Sandbox(process, field("base_url"), field("ws_url"), field("admin_url"), field("api_keys"))
        }
    }

    fun environment(): Environment = Environment.Custom(baseUrl, wsUrl)

    fun config(credentials: Credentials, maxRetries: UInt = 4u): ClientConfig =
        ClientConfig(environment(), credentials, 5_000uL, 10_000uL, 30_000uL, maxRetries)

    /** A session token straight from `GET /access-token` (what an app's backend does). */
    fun accessToken(): String {
        val request = HttpRequest.newBuilder(URI.create("$baseUrl/access-token"))
            .header("Authorization", "Bearer $apiKey").GET().build()
        val body = http.send(request, HttpResponse.BodyHandlers.ofString()).body()
        return Regex("\"Token\"\\s*:\\s*\"([^\"]+)\"").find(body)?.groupValues?.get(1)
            ?: throw IllegalStateException("no Token in the access-token answer")
    }

    fun admin(method: String, path: String, json: String? = null): Int {
        val body = if (json == null) HttpRequest.BodyPublishers.noBody() else HttpRequest.BodyPublishers.ofString(json)
        val request = HttpRequest.newBuilder(URI.create("$adminUrl$path"))
            .header("Content-Type", "application/json").method(method, body).build()
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode()
    }

    fun addFault(route: String, kindJson: String, trigger: String = "\"always\"") {
        val status = admin("POST", "/faults", "{\"route\":\"$route\",$kindJson,\"trigger\":$trigger}")
        check(status == 200) { "adding a fault answered $status" }
    }

    fun clearFaults() {
        admin("DELETE", "/faults")
    }

    override fun close() {
        process.destroy()
        process.waitFor()
    }
}
