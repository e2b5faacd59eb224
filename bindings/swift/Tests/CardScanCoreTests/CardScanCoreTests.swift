// XCTests of the generated Swift API (run on a Mac: `swift test` after
// `cargo xtask build-ios` and `cargo build -p cardscan-cli`). They spawn the
// real sandbox from the `cardscan` binary named by $CARDSCAN_CLI, as the
// Kotlin suite does; the same scenarios run on Linux through the Rust API in
// bindings/ffi/tests and through Kotlin in bindings/kotlin-test.
import XCTest
import Foundation
@testable import CardScanCore

#if os(macOS)
final class Sandbox {
    let process = Process()
    let baseUrl: String, wsUrl: String, adminUrl: String, apiKey: String

    init() throws {
        guard let cli = ProcessInfo.processInfo.environment["CARDSCAN_CLI"] else {
            throw XCTSkip("set CARDSCAN_CLI to the cardscan binary to run the sandbox tests")
        }
        process.executableURL = URL(fileURLWithPath: cli)
        process.arguments = ["--json", "sandbox", "--addr", "127.0.0.1:0", "--state-delay-ms", "20", "--enrich-delay-ms", "40"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        var line = Data()
        while let byte = try pipe.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data([0x0A]) {
            line.append(byte)
        }
        let banner = try JSONSerialization.jsonObject(with: line) as? [String: Any] ?? [:]
        baseUrl = banner["base_url"] as? String ?? ""
        wsUrl = banner["ws_url"] as? String ?? ""
        adminUrl = banner["admin_url"] as? String ?? ""
        apiKey = (banner["api_keys"] as? [String])?.first ?? ""
    }

    deinit { process.terminate() }

    func config(_ credentials: Credentials, maxRetries: UInt32 = 4) -> ClientConfig {
        ClientConfig(environment: .custom(baseUrl: baseUrl, wsUrl: wsUrl), credentials: credentials, maxRetries: maxRetries)
    }

    func admin(_ method: String, _ path: String, _ json: String? = nil) async throws {
        var request = URLRequest(url: URL(string: adminUrl + path)!)
        request.httpMethod = method
        request.httpBody = json?.data(using: .utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        _ = try await URLSession.shared.data(for: request)
    }

    func accessToken() async throws -> String {
        var request = URLRequest(url: URL(string: baseUrl + "/access-token")!)
        request.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization")
        let (data, _) = try await URLSession.shared.data(for: request)
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return json?["Token"] as? String ?? ""
    }
}

final class CountingProvider: TokenProvider, @unchecked Sendable {
    let sandbox: Sandbox
    private let lock = NSLock()
    private var count = 0
    var calls: Int { lock.withLock { count } }
    init(_ sandbox: Sandbox) { self.sandbox = sandbox }
    func fetchToken() async throws -> String {
        lock.withLock { count += 1 }
        return try await sandbox.accessToken()
    }
}

func cardJpeg() throws -> Data {
    guard let path = ProcessInfo.processInfo.environment["CARDSCAN_FRONT_JPEG"] else {
        throw XCTSkip("set CARDSCAN_FRONT_JPEG (cargo xtask kotlin-test writes bindings/kotlin-test/build/media/front.jpg)")
    }
    return try Data(contentsOf: URL(fileURLWithPath: path))
}

final class ClientTests: XCTestCase {
    func testUploadWaitGetList() async throws {
        let sb = try Sandbox()
        let client = try CardScanClient(config: sb.config(.apiKey(key: sb.apiKey)))
        let id = try await client.uploadCardImage(front: try cardJpeg(), back: nil)
        let card = try await client.waitForCard(cardId: id, timeoutMs: 30_000)
        XCTAssertTrue(card.state == .completed || card.state == .enriched)
        let again = try await client.getCard(cardId: id)
        XCTAssertEqual(again.cardId, id)
        let page = try await client.listCards(limit: 100, cursor: nil)
        XCTAssertTrue(page.cards.contains { $0.cardId == id })
    }

    func testTypedErrors() async throws {
        let sb = try Sandbox()
        let bad = try CardScanClient(config: sb.config(.apiKey(key: "sk_test_wrong")))
        do { _ = try await bad.listCards(limit: 1, cursor: nil); XCTFail("no error") }
        catch CardScanError.Unauthorized { }
        let client = try CardScanClient(config: sb.config(.apiKey(key: sb.apiKey)))
        do { _ = try await client.getCard(cardId: "00000000-0000-4000-8000-000000000000"); XCTFail("no error") }
        catch CardScanError.NotFound { }
        try await sb.admin("POST", "/faults", #"{"route":"GET /v1/cards/{card_id}","kind":"drop","trigger":"always"}"#)
        let oneRetry = try CardScanClient(config: sb.config(.apiKey(key: sb.apiKey), maxRetries: 1))
        do { _ = try await oneRetry.getCard(cardId: "00000000-0000-4000-8000-000000000000"); XCTFail("no error") }
        catch CardScanError.Network { }
        try await sb.admin("DELETE", "/faults")
    }

    func testTokenProviderRefreshedOnceOn401() async throws {
        let sb = try Sandbox()
        let provider = CountingProvider(sb)
        let client = try CardScanClient(config: sb.config(.provider(provider: provider)))
        _ = try await client.listCards(limit: 1, cursor: nil)
        XCTAssertEqual(provider.calls, 1)
        try await sb.admin("POST", "/expire-tokens")
        _ = try await client.listCards(limit: 1, cursor: nil)
        XCTAssertEqual(provider.calls, 2)
    }
}
#endif

final class OfflineTests: XCTestCase {
    func testHandoffRoundTrip() throws {
        let url = try HandoffLink(token: "tok", companyName: "Acme", backsideSupport: true).build(urlBase: "https://capture.example.com")
        let link = try HandoffLink.parse(url: url)
        XCTAssertEqual(link.token(), "tok")
        XCTAssertEqual(link.companyName(), "Acme")
        XCTAssertTrue(link.backsideSupport())
        XCTAssertThrowsError(try HandoffLink.parse(url: "not a url"))
    }

    func testScannerRejectsBadFramesTyped() throws {
        let scanner = try CardScanner(config: ScannerConfig())
        let short = CameraFrame(width: 640, height: 480, format: .gray8,
                                planes: [FramePlane(data: Data(count: 100), rowStride: 640)], timestampNs: 0)
        XCTAssertThrowsError(try scanner.process(frame: short)) { error in
            guard case CardScanError.InvalidFrame = error else { return XCTFail("\(error)") }
        }
        let badFocal = CameraFrame(width: 4, height: 4, format: .gray8,
                                   planes: [FramePlane(data: Data(count: 16), rowStride: 4)], timestampNs: 0,
                                   focalLengthPx: -1)
        XCTAssertThrowsError(try scanner.process(frame: badFocal)) { error in
            guard case CardScanError.InvalidInput = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try scanner.analyzeImage(image: Data("nope".utf8))) { error in
            guard case CardScanError.InvalidImage = error else { return XCTFail("\(error)") }
        }
    }
}
