import SwiftUI

@main
struct CardScanDemoApp: App {
    var body: some Scene {
        WindowGroup { ScanView() }
    }
}
