/// Attempts scheduled for later (`PoolDecision.retry(after:)`), as a binary min-heap on the due
/// time: O(log n) to insert or pop, so 10,000 retries cost no more than sorting them once.
/// Equal due times come out in the order they were scheduled.
struct RetryTimerQueue {
    private struct Entry {
        var due: ContinuousClock.Instant
        var sequence: Int
        var attempt: PendingAttempt
    }

    private var heap: [Entry] = []
    private var nextSequence = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }

    /// When the earliest entry is due; nil when empty.
    var nextDue: ContinuousClock.Instant? { heap.first?.due }

    mutating func insert(_ attempt: PendingAttempt, due: ContinuousClock.Instant) {
        heap.append(Entry(due: due, sequence: nextSequence, attempt: attempt))
        nextSequence &+= 1
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.precedes(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest entry if it is due at `now`.
    mutating func popDue(at now: ContinuousClock.Instant) -> PendingAttempt? {
        guard let first = heap.first, first.due <= now else { return nil }
        return popFirst()?.attempt
    }

    /// Removes every entry, earliest first (used when the deadline passes).
    mutating func drain() -> [PendingAttempt] {
        var all: [PendingAttempt] = []
        all.reserveCapacity(heap.count)
        while let entry = popFirst() { all.append(entry.attempt) }
        return all
    }

    private mutating func popFirst() -> Entry? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let first = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count && Self.precedes(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count && Self.precedes(heap[right], heap[smallest]) { smallest = right }
            if smallest == parent { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }

    private static func precedes(_ a: Entry, _ b: Entry) -> Bool {
        a.due < b.due || (a.due == b.due && a.sequence < b.sequence)
    }
}
