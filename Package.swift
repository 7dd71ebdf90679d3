// swift-tools-version: 6.0
// The Lambda side: the two functions, our runtime and our AWS client, and their tests. No dependencies
// and no switches: `swift build` and `swift test` here need only the toolchain, libcurl and libcrypto.
// The local stack (loopback Runtime API, gateway, process tests) is its own package in LocalStack/,
// which depends on this one by path (docs/design.md §7).
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "VisitorCounter",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "DBUpdater", targets: ["DBUpdater"]),
        .executable(name: "DBStreamProcessor", targets: ["DBStreamProcessor"]),
        // A trivial echo function on the runtime: for the runtime's process tests and its size/cold-start figures.
        .executable(name: "EchoFunction", targets: ["EchoFunction"]),
    ] + [
        // What the local stack builds on (LocalStack/Package.swift): one library per target.
        "AWSClient", "CurlHTTP", "JSONCoding", "LambdaEvents", "LambdaRuntime", "SigV4", "SystemSupport",
        "VisitorCounterCore", "TestSupport",
    ].map { Product.library(name: $0, targets: [$0]) },
    targets: [
        // C shim over libcurl: loads libcurl at run time (no versioned CURL_OPENSSL_4 imports) and gives
        // typed wrappers for the variadic curl_easy_setopt. The only C in the HTTP path.
        .target(
            name: "CCurl",
            // glibc_compat.c is only for release bootstraps (see there); gold cannot link it with debug info.
            cSettings: [.define("VC_GLIBC_COMPAT", .when(configuration: .release))],
            linkerSettings: [.linkedLibrary("dl")]
        ),
        // The small helpers every layer needs, each in one place: the UTC civil date, a blocking sleep, the
        // environment, percent-encoding, an ASCII test, a seeded random generator. No dependencies, no Foundation.
        .target(name: "SystemSupport", swiftSettings: strict),
        .target(name: "CurlHTTP", dependencies: ["CCurl"], swiftSettings: strict),
        // SHA-256 and HMAC over libcrypto, which it opens at run time (CryptoLibrary.swift), not links.
        .target(name: "SigV4", dependencies: ["SystemSupport"], swiftSettings: strict),
        // Our JSON reader and writer, with Codable coders over them: the bootstraps carry no Foundation.
        .target(name: "JSONCoding", swiftSettings: strict),
        .target(name: "LambdaEvents", dependencies: ["JSONCoding"], swiftSettings: strict),
        .target(name: "AWSClient", dependencies: ["CurlHTTP", "SigV4", "LambdaEvents", "JSONCoding", "SystemSupport"], swiftSettings: strict),
        .target(name: "LambdaRuntime", dependencies: ["CurlHTTP", "JSONCoding", "SystemSupport"], swiftSettings: strict),
        .target(
            name: "VisitorCounterCore",
            // SigV4 for its SHA-256 only (a visitor's daily hash): the same libcrypto signing opens.
            dependencies: ["AWSClient", "LambdaEvents", "LambdaRuntime", "SigV4", "SystemSupport"],
            swiftSettings: strict
        ),
        .executableTarget(name: "DBUpdater", dependencies: ["VisitorCounterCore"], swiftSettings: strict),
        .executableTarget(name: "DBStreamProcessor", dependencies: ["VisitorCounterCore"], swiftSettings: strict),
        .executableTarget(name: "EchoFunction", dependencies: ["LambdaRuntime", "CurlHTTP", "SystemSupport"], swiftSettings: strict),
        // Test support: loopback fixtures (moto, the Python test servers), paths, seeded randomness. Full
        // Foundation is fine here: it never ships in a bootstrap.
        .target(name: "TestSupport", dependencies: ["CurlHTTP", "SystemSupport"], swiftSettings: strict),
        .testTarget(name: "SystemSupportTests", dependencies: ["SystemSupport"], swiftSettings: strict),
        .testTarget(name: "SigV4Tests", dependencies: ["SigV4", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "CurlHTTPTests", dependencies: ["CurlHTTP", "TestSupport"], swiftSettings: strict),
        // The runtime loop against in-memory fakes and a scripted socket; its process tests are in LocalStack/.
        .testTarget(name: "LambdaRuntimeTests", dependencies: ["LambdaRuntime", "CurlHTTP"], swiftSettings: strict),
        .testTarget(name: "LambdaEventsTests", dependencies: ["LambdaEvents", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "JSONCodingTests", dependencies: ["JSONCoding", "LambdaEvents", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "AWSClientTests", dependencies: ["AWSClient", "JSONCoding", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "VisitorCounterCoreTests", dependencies: ["VisitorCounterCore", "AWSClient", "TestSupport"], swiftSettings: strict),
        // The event decoders over the seeded fuzz corpus (vctools/fixtures/fuzz_events.py); scripts/fuzz_asan.sh
        // runs it under the address sanitizer.
        .testTarget(name: "DecoderFuzzTests", dependencies: ["LambdaEvents", "JSONCoding", "TestSupport"], swiftSettings: strict),
    ]
)
