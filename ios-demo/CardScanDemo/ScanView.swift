import AVFoundation
import SwiftUI

struct ScanView: View {
    @StateObject private var model = ScanModel()

    var body: some View {
        ZStack(alignment: .bottom) {
            CameraPreview(session: model.session).ignoresSafeArea()
            VStack(spacing: 12) {
                Text(model.message).padding(8).background(.thinMaterial, in: Capsule())
                if model.showShutter { Button("Take photo") { model.shutter() }.buttonStyle(.borderedProminent) }
                if let result = model.result { ScrollView { Text(result).font(.caption.monospaced()) }.frame(maxHeight: 200) }
            }.padding()
        }
        .onAppear { model.start() }
    }
}

struct CameraPreview: UIViewRepresentable {
    let session: AVCaptureSession
    func makeUIView(context: Context) -> UIView {
        let view = UIView()
        let layer = AVCaptureVideoPreviewLayer(session: session)
        layer.videoGravity = .resizeAspectFill
        view.layer.addSublayer(layer)
        DispatchQueue.main.async { layer.frame = view.bounds }
        return view
    }
    func updateUIView(_ view: UIView, context: Context) {
        view.layer.sublayers?.first?.frame = view.bounds
    }
}
