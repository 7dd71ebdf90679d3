// swift-tools-version: 6.2
// Hummingbird's WebSocket package needs tools 6.2 (docs/design.md §6). The Lambda products never depend on it.
import PackageDescription

/// `VC_CORE_ONLY=1 swift test` leaves out the Hummingbird-based local stack and the tests that need it,
/// for a fast inner loop on the Lambda code. `make test` and `make dev` never set it.
let coreOnly = Context.environment["VC_CORE_ONLY"] == "1"

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

var targets: [Target] = [
    // C shim over libcurl: loads libcurl at run time (no versioned CURL_OPENSSL_4 imports) and gives
    // typed wrappers for the variadic curl_easy_setopt. The only C in the HTTP path.
    .target(
        name: "CCurl",
        // glibc_compat.c is only for release bootstraps (see there); gold cannot link it with debug info.
        cSettings: [.define("VC_GLIBC_COMPAT", .when(configuration: .release))],
        linkerSettings: [.linkedLibrary("dl")]
    ),
    // libcrypto's SHA-256 and HMAC, declared through a module map; no C code of ours.
    .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
    .target(name: "CurlHTTP", dependencies: ["CCurl"], swiftSettings: strict),
    .target(name: "SigV4", dependencies: ["CCrypto"], swiftSettings: strict),
    // Strict JSON reader/writer and a Codable Decoder/Encoder over them: the bootstraps' JSON without
    // Foundation (docs/design.md §6: FoundationEssentials was over half of a bootstrap's size).
    .target(name: "JSONCoding", swiftSettings: strict),
    .target(name: "LambdaEvents", dependencies: ["JSONCoding"], swiftSettings: strict),
    .target(name: "AWSClient", dependencies: ["CurlHTTP", "SigV4", "LambdaEvents", "JSONCoding"], swiftSettings: strict),
    .target(name: "LambdaRuntime", dependencies: ["CurlHTTP", "JSONCoding"], swiftSettings: strict),
    .target(
        name: "VisitorCounterCore",
        // SigV4 for its SHA-256 only (a visitor's daily hash): libcrypto is linked for signing anyway.
        dependencies: ["AWSClient", "LambdaEvents", "LambdaRuntime", "SigV4"],
        swiftSettings: strict
    ),
    .executableTarget(name: "DBUpdater", dependencies: ["VisitorCounterCore"], swiftSettings: strict),
    .executableTarget(name: "DBStreamProcessor", dependencies: ["VisitorCounterCore"], swiftSettings: strict),
    // A trivial echo function on the runtime: for the runtime's process tests and its size/cold-start figures.
    .executableTarget(name: "EchoFunction", dependencies: ["LambdaRuntime", "CurlHTTP"], swiftSettings: strict),
    // Test support (full Foundation is fine here: it never ships in a bootstrap).
    .target(name: "TestSupport", dependencies: ["CurlHTTP"], swiftSettings: strict),
    .testTarget(name: "JSONCodingTests", dependencies: ["JSONCoding", "LambdaEvents", "TestSupport"], swiftSettings: strict),
    .testTarget(name: "SigV4Tests", dependencies: ["SigV4", "TestSupport"], swiftSettings: strict),
    .testTarget(name: "CurlHTTPTests", dependencies: ["CurlHTTP", "TestSupport"], swiftSettings: strict),
    .testTarget(name: "LambdaEventsTests", dependencies: ["LambdaEvents", "TestSupport"], swiftSettings: strict),
    .testTarget(
        name: "AWSClientTests",
        dependencies: ["AWSClient", "JSONCoding", "TestSupport"],
        swiftSettings: strict
    ),
    .testTarget(
        name: "VisitorCounterCoreTests",
        dependencies: ["VisitorCounterCore", "TestSupport"],
        swiftSettings: strict
    ),
    // The event decoders over the seeded fuzz corpus (scripts/fuzz_events.py); scripts/fuzz_asan.sh runs
    // it under the address sanitizer.
    .testTarget(name: "DecoderFuzzTests", dependencies: ["LambdaEvents", "JSONCoding", "TestSupport"], path: "Tests/RobustnessTests/Decoders", swiftSettings: strict),
]

var dependencies: [Package.Dependency] = []

if !coreOnly {
    dependencies += [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        // Already in the graph through Hummingbird; named because RuntimeAPIServer imports them directly.
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
    ]
    targets += [
        // A loopback Lambda Runtime API: used by the tests and by the local gateway.
        .target(
            name: "RuntimeAPIServer",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // fork + prctl(PR_SET_PDEATHSIG) + exec for the gateway's function processes (Swift cannot run
        // between fork and exec safely); Linux only, like the local stack.
        .target(name: "CChildProcess"),
        .executableTarget(
            name: "LocalGateway",
            dependencies: [
                "RuntimeAPIServer", "AWSClient", "SigV4", "CChildProcess",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "LambdaRuntimeTests",
            dependencies: ["LambdaRuntime", "RuntimeAPIServer", "TestSupport", "EchoFunction"],
            swiftSettings: strict
        ),
        // Fixtures shared by the process tests: moto with the design's tables, API Gateway-shaped events.
        .target(
            name: "ProcessTestSupport",
            dependencies: ["AWSClient", "LambdaEvents", "SigV4", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "AWSClient", "LambdaEvents", "ProcessTestSupport", "RuntimeAPIServer", "TestSupport", "DBUpdater",
                "DBStreamProcessor", "VisitorCounterCore",
            ],
            swiftSettings: strict
        ),
        // Faults (DynamoDB through scripts/fault_proxy.py, Management API, Runtime API) and fuzzed events
        // against the real binaries; docs/reliability.md.
        .testTarget(
            name: "RobustnessTests",
            dependencies: [
                "AWSClient", "CurlHTTP", "LambdaEvents", "ProcessTestSupport", "RuntimeAPIServer", "SigV4", "TestSupport",
                "DBUpdater", "DBStreamProcessor",
            ],
            path: "Tests/RobustnessTests/Processes",
            swiftSettings: strict
        ),
        // The gateway's pure parts (event shapes, filters, signature checks, the stream poller against a fake
        // stream); the stack itself is tested end to end by tests/test_local_stack.py and tests/test_page_e2e.py.
        .testTarget(
            name: "LocalGatewayTests",
            dependencies: [
                "LocalGateway", "LambdaEvents", "SigV4", .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
    ]
}

/// `VC_FUZZ_DECODERS_ONLY=1` keeps only the decoders and their fuzz tests: scripts/fuzz_asan.sh builds
/// that under the address sanitizer in its own scratch path, without the rest of the package.
let decodersOnly = Context.environment["VC_FUZZ_DECODERS_ONLY"] == "1"
if decodersOnly {
    targets = targets.filter { ["CCurl", "CurlHTTP", "TestSupport", "LambdaEvents", "JSONCoding", "DecoderFuzzTests"].contains($0.name) }
    dependencies = []
}

let package = Package(
    name: "VisitorCounter",
    platforms: [.macOS(.v14)],
    products: decodersOnly ? [] : [
        .executable(name: "DBUpdater", targets: ["DBUpdater"]),
        .executable(name: "DBStreamProcessor", targets: ["DBStreamProcessor"]),
    ] + (coreOnly ? [] : [.executable(name: "LocalGateway", targets: ["LocalGateway"])]),
    dependencies: dependencies,
    targets: targets
)
