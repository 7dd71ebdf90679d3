import Foundation

// The local gateway (docs/design.md §7): the page, the WebSocket API, the Management API, one Runtime API per
// function with the real binaries behind it, and the stream poller, on loopback.
let options: GatewayOptions
do {
    options = try GatewayOptions.parse(CommandLine.arguments.dropFirst())
} catch {
    FileHandle.standardError.write(Data("LocalGateway: \(error)\n".utf8))
    exit(2)
}
do {
    try await LocalGateway(options: options, environment: ProcessInfo.processInfo.environment).run()
} catch {
    FileHandle.standardError.write(Data("LocalGateway: error: \(error)\n".utf8))
    exit(1)
}
