// The Kotlin suite: the generated bindings on a real JVM against a real
// sandbox process. Run by `cargo xtask kotlin-test`.
package ai.cardscan.core.test

import ai.cardscan.core.*
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.withTimeout
import java.io.File
import java.util.concurrent.atomic.AtomicInteger
import kotlin.system.exitProcess

fun main() {
    val cli = System.getProperty("cardscan.cli") ?: error("-Dcardscan.cli is required")
    val media = File(System.getProperty("cardscan.media") ?: error("-Dcardscan.media is required"))
    val front = File(media, "front.jpg").readBytes()
    val back = File(media, "back.jpg").readBytes()
    val code = Sandbox.start(cli).use { sb ->
        val client = CardScanClient(sb.config(Credentials.ApiKey(sb.apiKey)))
        runAll(scenarios(sb, client, front, back, File(media, "stream.y4m")), System.getProperty("cardscan.filter") ?: "")
    }
    exitProcess(code)
}

fun scenarios(sb: Sandbox, client: CardScanClient, front: ByteArray, back: ByteArray, video: File) = listOf(
    Scenario("upload, wait, get, list") {
        val id = client.uploadCardImage(front, back)
        val card = client.waitForCard(id, 30_000uL)
        check(card.state == CardState.COMPLETED || card.state == CardState.ENRICHED) { "state ${card.state}" }
        check(card.details.any { it.name == "member_number" && it.value.isNotEmpty() }) { "no member number" }
        check(card.details.all { f -> f.scores.isEmpty() || f.minScore != null }) { "scores not offered as numbers" }
        check(client.getCard(id).cardId == id) { "getCard returned another card" }
        val page = client.listCards(100u, null)
        check(page.cards.any { it.cardId == id }) { "listCards misses the new card" }
    },
    Scenario("bad API key is Unauthorized") {
        val bad = CardScanClient(sb.config(Credentials.ApiKey("sk_test_wrong")))
        expectThrows<CardScanException.Unauthorized> { bad.listCards(1u, null) }
    },
    Scenario("unknown card is NotFound") {
        expectThrows<CardScanException.NotFound> { client.getCard("00000000-0000-4000-8000-000000000000") }
    },
    Scenario("dropped connection is Network") {
        val id = client.uploadCardImage(front, null)
        sb.addFault("GET /v1/cards/{card_id}", "\"kind\":\"drop\"")
        try {
            val oneRetry = CardScanClient(sb.config(Credentials.ApiKey(sb.apiKey), maxRetries = 1u))
            expectThrows<CardScanException.Network> { oneRetry.getCard(id) }
        } finally {
            sb.clearFaults()
        }
        check(client.getCard(id).cardId == id) { "the client does not recover once the fault is gone" }
    },
    Scenario("TokenProvider: fetched lazily, refreshed once on 401") {
        val calls = AtomicInteger()
        val provider = object : TokenProvider {
            override suspend fun fetchToken(): String {
                calls.incrementAndGet()
                return sb.accessToken()
            }
        }
        val app = CardScanClient(sb.config(Credentials.Provider(provider)))
        check(calls.get() == 0) { "token fetched before any request" }
        app.listCards(1u, null)
        app.listCards(1u, null)
        check(calls.get() == 1) { "expected 1 fetch, got ${calls.get()}" }
        check(sb.admin("POST", "/expire-tokens") == 204) { "could not expire tokens" }
        app.listCards(1u, null)
        check(calls.get() == 2) { "expected exactly one refresh after the 401, got ${calls.get() - 1}" }
    },
    Scenario("TokenProvider errors reach the caller typed") {
        val refusing = object : TokenProvider {
            override suspend fun fetchToken(): String = throw CardScanException.Unauthorized("signed out")
        }
        val app = CardScanClient(sb.config(Credentials.Provider(refusing)))
        expectThrows<CardScanException.Unauthorized> { app.listCards(1u, null) }
        val crashing = object : TokenProvider {
            override suspend fun fetchToken(): String = throw IllegalStateException("backend down")
        }
        val e = expectThrows<CardScanException.Config> { CardScanClient(sb.config(Credentials.Provider(crashing))).listCards(1u, null) }
        check(e.reason.contains("token provider")) { "reason: ${e.reason}" }
    },
    Scenario("cancelling a suspended waitForCard returns promptly; the client still works") {
        val id = client.uploadCardImage(front, null)
        client.waitForCard(id, 30_000uL)
        // Every card read now stalls 30 s: waitForCard hangs mid-request.
        sb.addFault("GET /v1/cards/{card_id}", "\"kind\":\"latency\",\"ms\":30000")
        try {
            coroutineScope {
                val waiting = async(start = CoroutineStart.UNDISPATCHED) { client.waitForCard(id, 60_000uL) }
                delay(500)
                check(waiting.isActive) { "waitForCard finished despite the stalled sandbox" }
                val t0 = System.nanoTime()
                waiting.cancel()
                waiting.join()
                val ms = (System.nanoTime() - t0) / 1_000_000
                check(waiting.isCancelled) { "not cancelled" }
                check(ms < 1_000) { "cancellation took $ms ms" }
            }
        } finally {
            sb.clearFaults()
        }
        check(client.getCard(id).cardId == id) { "client unusable after cancellation" }
    },
    Scenario("followCard delivers states until final") {
        val id = client.uploadCardImage(front, null)
        val states = java.util.Collections.synchronizedList(mutableListOf<CardState>())
        val done = CompletableDeferred<Unit>()
        val sub = client.followCard(id, object : CardEventListener {
            override fun onEvent(event: CardEvent) { states += event.state }
            override fun onError(error: CardScanException) { done.completeExceptionally(error) }
            override fun onComplete() { done.complete(Unit) }
        })
        withTimeout(30_000) { done.await() }
        check(states.isNotEmpty()) { "no events" }
        check(states.last() == CardState.COMPLETED || states.last() == CardState.ENRICHED) { "last state ${states.last()}" }
        sub.cancel()
        check(!sub.isActive()) { "subscription still active" }
    },
    Scenario("magic link and handoff URL") {
        val link = client.generateMagicLink()
        check(link.token.isNotEmpty() && link.url.isNotEmpty()) { "empty magic link" }
        val session = client.validateMagicLink(link.token)
        check(session.token.isNotEmpty()) { "no session token" }
        val url = HandoffLink(link.token, "Acme Health", true).build("https://capture.example.com")
        val parsed = HandoffLink.parse(url)
        check(parsed.token() == link.token && parsed.companyName() == "Acme Health" && parsed.backsideSupport()) { "round trip: $url" }
        expectThrows<CardScanException.InvalidInput> { HandoffLink.parse("https://capture.example.com/?companyName=x") }
    },
    Scenario("eligibility input is validated before sending") {
        val info = EligibilityInfo(EligibilityProvider("123", null, null, null), EligibilitySubscriber("A", "B", "19801210"))
        val e = expectThrows<CardScanException.InvalidInput> { client.checkEligibility("card", info, 5_000uL) }
        check(e.field.contains("npi")) { "field ${e.field}" }
    },
    Scenario("scanner captures from the test video") {
        val frames = Y4m(video).frames()
        check(frames.isNotEmpty()) { "empty video" }
        CardScanner(ScannerConfig(false, null, 90u.toUByte(), false, 300u, 15_000u)).use { scanner ->
            var captured: CapturedCard? = null
            val seen = mutableSetOf<FeedbackCode>()
            for (frame in frames) {
                val update = scanner.process(frame)
                seen += update.feedback
                check(update.message.isNotEmpty()) { "no message for ${update.feedback}" }
                if (update.captured != null) { captured = update.captured; break }
            }
            val card = captured ?: throw Check("no capture in ${frames.size} frames; feedback seen: $seen")
            check(card.jpeg.size > 1000 && card.jpeg[0] == 0xFF.toByte() && card.jpeg[1] == 0xD8.toByte()) { "not a JPEG" }
            check(card.width > card.height && card.rectified) { "not a rectified landscape card: ${card.width}x${card.height}" }
            check(card.corners.size == 4) { "corners ${card.corners.size}" }
            val id = client.uploadCardImage(card.jpeg, null)
            check(id.isNotEmpty()) { "upload of the captured card failed" }
        }
    },
    Scenario("scanner rejects bad frames and images with typed errors") {
        CardScanner(ScannerConfig(true, null, 90u.toUByte(), false, 300u, 15_000u)).use { scanner ->
            val short = CameraFrame(640, 480, PixelFormat.GRAY8, listOf(FramePlane(ByteArray(100), 640, 1)), 0, 0, true)
            expectThrows<CardScanException.InvalidFrame> { scanner.process(short) }
            val rotated = CameraFrame(4, 4, PixelFormat.GRAY8, listOf(FramePlane(ByteArray(16), 4, 1)), 45, 0, true)
            expectThrows<CardScanException.InvalidInput> { scanner.process(rotated) }
            val noFocal = CameraFrame(4, 4, PixelFormat.GRAY8, listOf(FramePlane(ByteArray(16), 4, 1)), 0, 0, true, -1.0f)
            expectThrows<CardScanException.InvalidInput> { scanner.process(noFocal) }
            expectThrows<CardScanException.InvalidImage> { scanner.analyzeImage("not a jpeg".toByteArray()) }
            // A JPEG cut short: refused by name, not scanned half grey or uploaded.
            val cut = front.copyOf(front.size / 2)
            val e = expectThrows<CardScanException.InvalidImage> { scanner.analyzeImage(cut) }
            check("truncated" in e.reason) { "not called truncated: ${e.reason}" }
            expectThrows<CardScanException.InvalidInput> { client.uploadCardImage(cut, null) }
            scanner.reset()
        }
    },
)
