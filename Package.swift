// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Mull",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Mull", targets: ["Mull"]),
        .library(name: "MullRuntime", targets: ["MullRuntime"]),
        .library(name: "MullLanguage", targets: ["MullLanguage"]),
        .executable(name: "mull", targets: ["mull"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Spaces, environments, models, agents, planners, networks, runner, sweeps: no knowledge of syntax.
        .target(name: "MullRuntime", dependencies: ["COpenBLAS"]),
        // OpenBLAS's CBLAS interface (`libopenblas-dev`): the matrix products of the networks.
        .systemLibrary(name: "COpenBLAS", providers: [.apt(["libopenblas-dev"])]),
        // Source files, tokens, lexer, parser, AST, diagnostics, checker: no knowledge of Q-tables.
        .target(name: "MullLanguage"),
        // The embedding API: interpreter, values, compiler, component registry, stdlib, reports.
        .target(name: "Mull", dependencies: ["MullLanguage", "MullRuntime"]),
        .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),
        .target(name: "MullREPL", dependencies: ["Mull", "CReadline"]),
        .executableTarget(
            name: "mull",
            dependencies: [
                "Mull", "MullREPL",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "MullRuntimeTests", dependencies: ["MullRuntime"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "MullLanguageTests", dependencies: ["MullLanguage"]),
        .testTarget(name: "MullTests", dependencies: ["Mull", "MullRuntime"], exclude: ["golden"]),
        .testTarget(name: "MullREPLTests", dependencies: ["MullREPL", "Mull"]),
    ],
    swiftLanguageModes: [.v6]
)
