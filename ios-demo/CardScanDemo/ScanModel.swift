import AVFoundation
import CardScanCore
import SwiftUI

enum DemoConfig {
    static let baseURL = "http://192.168.1.10:8787/v1"
    static let wsURL = "ws://192.168.1.10:8787/ws"
}

/// Asks the app's backend for a CardScan session token (the backend holds the API key).
final class DemoTokens: TokenProvider {
    func fetchToken() async throws -> String {
        let url = URL(string: "https://backend.example.com/cardscan-token")!
        let (data, _) = try await URLSession.shared.data(from: url)
        return String(decoding: data, as: UTF8.self)
    }
}

@MainActor
final class ScanModel: NSObject, ObservableObject, AVCaptureVideoDataOutputSampleBufferDelegate {
    @Published var message = "Starting camera"
    @Published var corners: [CGPoint] = []
    @Published var result: String?
    @Published var showShutter = false

    let session = AVCaptureSession()
    private let queue = DispatchQueue(label: "camera-frames")
    nonisolated(unsafe) private let scanner = try! CardScanner(config: ScannerConfig(scanBack: false))
    private let client = try? CardScanClient(config: ClientConfig(
        environment: .custom(baseUrl: DemoConfig.baseURL, wsUrl: DemoConfig.wsURL),
        credentials: .provider(provider: DemoTokens())))

    func start() {
        guard let camera = AVCaptureDevice.default(.builtInWideAngleCamera, for: .video, position: .back),
              let input = try? AVCaptureDeviceInput(device: camera) else { message = "No camera"; return }
        session.sessionPreset = .hd1920x1080
        session.addInput(input)
        let output = AVCaptureVideoDataOutput()
        output.videoSettings = [kCVPixelBufferPixelFormatTypeKey as String: kCVPixelFormatType_32BGRA]
        output.alwaysDiscardsLateVideoFrames = true
        output.setSampleBufferDelegate(self, queue: queue)
        session.addOutput(output)
        // The camera's intrinsics with every frame: the scanner then places the hidden side of a
        // card partly out of frame in perspective (CameraFrame.focalLengthPx).
        if let connection = output.connection(with: .video), connection.isCameraIntrinsicMatrixDeliverySupported {
            connection.isCameraIntrinsicMatrixDeliveryEnabled = true
        }
        queue.async { self.session.startRunning() }
    }

    func shutter() { try? scanner.captureNow() }

    nonisolated func captureOutput(_ output: AVCaptureOutput, didOutput sample: CMSampleBuffer,
                                   from connection: AVCaptureConnection) {
        guard let frame = Self.cameraFrame(sample), let update = try? scanner.process(frame: frame) else { return }
        let points = update.analysis?.card?.corners.map { CGPoint(x: CGFloat($0.x), y: CGFloat($0.y)) } ?? []
        Task { @MainActor in
            self.message = update.message
            self.corners = points
            self.showShutter = update.manualShutterAvailable
            if let card = update.captured { self.upload(card.jpeg) }
        }
    }

    /// A BGRA camera buffer as a CameraFrame (portrait: rotate 90° to upright).
    nonisolated static func cameraFrame(_ sample: CMSampleBuffer) -> CameraFrame? {
        guard let pb = CMSampleBufferGetImageBuffer(sample) else { return nil }
        CVPixelBufferLockBaseAddress(pb, .readOnly)
        defer { CVPixelBufferUnlockBaseAddress(pb, .readOnly) }
        guard let base = CVPixelBufferGetBaseAddress(pb) else { return nil }
        let stride = CVPixelBufferGetBytesPerRow(pb)
        let height = CVPixelBufferGetHeight(pb)
        let t = CMSampleBufferGetPresentationTimeStamp(sample)
        return CameraFrame(width: Int32(CVPixelBufferGetWidth(pb)), height: Int32(height), format: .bgra8888,
                           planes: [FramePlane(data: Data(bytes: base, count: stride * height), rowStride: Int32(stride), pixelStride: 4)],
                           rotationDegrees: 90, timestampNs: Int64(CMTimeGetSeconds(t) * 1_000_000_000),
                           fullRange: true, focalLengthPx: focalLength(sample))
    }

    /// The focal length in pixels of this buffer, from the intrinsic matrix AVFoundation attaches
    /// when delivery is enabled (fx, the first column's first entry); nil without it.
    nonisolated static func focalLength(_ sample: CMSampleBuffer) -> Float? {
        guard let data = CMGetAttachment(sample, key: kCMSampleBufferAttachmentKey_CameraIntrinsicMatrix,
                                         attachmentModeOut: nil) as? Data,
              data.count >= MemoryLayout<matrix_float3x3>.size else { return nil }
        let fx = data.withUnsafeBytes { $0.loadUnaligned(as: matrix_float3x3.self) }.columns.0.x
        return fx > 0 ? fx : nil
    }

    private func upload(_ jpeg: Data) {
        guard let client else { return }
        message = "Uploading"
        Task {
            do {
                let id = try await client.uploadCardImage(front: jpeg, back: nil)
                let card = try await client.waitForCard(cardId: id, timeoutMs: 60_000)
                result = card.details.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
            } catch CardScanError.CardFailed {
                try? scanner.reportUploadRejected()
                message = "That didn't work, please scan again"
            } catch {
                message = "Error: \(error)"
            }
        }
    }
}
