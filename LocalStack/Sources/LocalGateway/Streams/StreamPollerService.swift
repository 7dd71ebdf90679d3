import ServiceLifecycle

/// The stream poller as a member of the gateway's service group: it does nothing until the group
/// shuts down gracefully, then stops the poller and waits for the delivery under way. Listed after the
/// HTTP server, so the group stops it first (a group shuts its services down in reverse order), and a
/// broadcast never posts to a server that is closing.
struct StreamPollerService: Service {
    let poller: StreamPoller
    /// Called first thing at shutdown (the gateway logs that it is stopping).
    let onShutdown: @Sendable () -> Void

    func run() async throws {
        // Returns at graceful shutdown, or throws when the group is cancelled: stop either way.
        try? await gracefulShutdown()
        onShutdown()
        await poller.stopAndWait(timeout: .seconds(5))
    }
}
