// swift-tools-version:6.0
// Benchmarks that the `mull` command line cannot express: the decision-time planners (CEM on
// Pendulum, UCT on CartPole) through MullRuntime's public API. Built by benchmarks/run with
// `--scratch-path ../../.build-bench`. MULL_PACKAGE_PATH points at another checkout of Mull
// (default: this repository).
import Foundation
import PackageDescription

let mullPath = ProcessInfo.processInfo.environment["MULL_PACKAGE_PATH"] ?? "../.."

let package = Package(
    name: "mull-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "Mull", path: mullPath)],
    targets: [
        .executableTarget(
            name: "mull-bench",
            dependencies: [.product(name: "MullRuntime", package: "Mull"), .product(name: "Mull", package: "Mull")]),
    ]
)
