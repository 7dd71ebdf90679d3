/// One attempt of a job waiting to start: which job, its 1-based attempt number, and the URL of the
/// job's previous attempt (for the error target should the deadline pass first; nil before attempt 1).
struct PendingAttempt {
    var job: Int
    var attempt: Int
    var previousURL: String?
}

/// A FIFO of attempts that may start now. An array with a moving head: O(1) amortised per
/// operation, with no allocation per entry beyond the array's growth.
struct ReadyQueue {
    private var items: [PendingAttempt] = []
    private var head = 0

    var isEmpty: Bool { head == items.count }

    mutating func append(_ item: PendingAttempt) {
        items.append(item)
    }

    mutating func popFirst() -> PendingAttempt? {
        guard head < items.count else { return nil }
        let item = items[head]
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024 && head * 2 >= items.count {
            // Drop the consumed prefix now and then, so a long run does not hold every past entry.
            items.removeFirst(head)
            head = 0
        }
        return item
    }
}
