// swift-tools-version:5.9
// CardScanCore for iOS: the generated Swift bindings (target `CardScanCore`)
// over the Rust core shipped as `CardScanCore.xcframework` (binary target
// `CardScanCoreFFI`, the C module the generated Swift imports).
// Build the xcframework on a Mac first: `cargo xtask build-ios`.
import PackageDescription

let package = Package(
    name: "CardScanCore",
    platforms: [.iOS(.v15), .macOS(.v13)],
    products: [
        .library(name: "CardScanCore", targets: ["CardScanCore"]),
    ],
    targets: [
        .binaryTarget(
            name: "CardScanCoreFFI",
            path: "bindings/swift/CardScanCore.xcframework"
        ),
        .target(
            name: "CardScanCore",
            dependencies: ["CardScanCoreFFI"],
            path: "bindings/swift/Sources/CardScanCore"
        ),
        .testTarget(
            name: "CardScanCoreTests",
            dependencies: ["CardScanCore"],
            path: "bindings/swift/Tests/CardScanCoreTests"
        ),
    ]
)
