// swift-tools-version: 6.2
// The local stack: a loopback Lambda Runtime API, the local API Gateway (WebSocket, Management API,
// stream poller, TTL) that `make dev` runs, and the tests that run the real function binaries on them.
// Hummingbird's WebSocket package needs tools 6.2. The Lambda side is the package one folder up, which
// this one depends on by path; it never depends on anything here (docs/design.md §7).
import PackageDescription

// SwiftPM names a path dependency after its folder: whatever the clone is called.
let lambda = Context.packageDirectory.split(separator: "/").dropLast().last.map(String.init) ?? "VisitorCounter"

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

func fromLambda(_ names: String...) -> [Target.Dependency] {
    names.map { .product(name: $0, package: lambda) }
}

let package = Package(
    name: "LocalStack",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "LocalGateway", targets: ["LocalGateway"]),
    ],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        // Already in the graph through Hummingbird; named because RuntimeAPIServer imports them directly.
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
    ],
    targets: [
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
            dependencies: ["RuntimeAPIServer", "CChildProcess"] + fromLambda("AWSClient", "LambdaEvents", "SigV4", "SystemSupport") + [
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
        // Fixtures shared by the process tests: moto with the design's tables, API Gateway-shaped events.
        .target(
            name: "ProcessTestSupport",
            dependencies: fromLambda("AWSClient", "LambdaEvents", "SigV4", "TestSupport"),
            swiftSettings: strict
        ),
        // The runtime as Lambda runs it: the echo function's process on the loopback Runtime API. The
        // function binaries are dependencies of the test targets so `swift build --build-tests` builds them.
        .testTarget(
            name: "RuntimeProcessTests",
            dependencies: ["RuntimeAPIServer"] + fromLambda("LambdaRuntime", "TestSupport", "EchoFunction"),
            swiftSettings: strict
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["ProcessTestSupport", "RuntimeAPIServer"]
                + fromLambda("AWSClient", "LambdaEvents", "TestSupport", "VisitorCounterCore", "DBUpdater", "DBStreamProcessor"),
            swiftSettings: strict
        ),
        // Faults (DynamoDB through the fault proxy, Management API, Runtime API) and fuzzed events
        // against the real binaries; docs/reliability.md.
        .testTarget(
            name: "RobustnessTests",
            dependencies: ["ProcessTestSupport", "RuntimeAPIServer"]
                + fromLambda("AWSClient", "CurlHTTP", "LambdaEvents", "SigV4", "TestSupport", "DBUpdater", "DBStreamProcessor"),
            swiftSettings: strict
        ),
        // The gateway's pure parts (event shapes, filters, signature checks, the stream poller against a fake
        // stream); the stack itself is tested end to end by tests/test_local_stack.py and tests/test_page_e2e.py.
        .testTarget(
            name: "LocalGatewayTests",
            dependencies: ["LocalGateway"] + fromLambda("LambdaEvents", "SigV4") + [
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
    ]
)
