// swift-tools-version:6.0
import PackageDescription

// A small host program that embeds the Mull interpreter as a library.
let package = Package(
    name: "embedding-example",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "Mull", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "embedding-example",
            dependencies: [
                .product(name: "Mull", package: "Mull"),
                .product(name: "MullRuntime", package: "Mull"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
