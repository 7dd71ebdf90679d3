import CCurl

/// glibc's malloc arenas, set through the C shim: Swift's Glibc module does not import `malloc.h`, and the
/// C of the project lives in one target. Here because libcurl's threads (its background load, its resolver)
/// are what would make the arenas; the Lambda runtime decides, at its start.
package enum MallocArenas {
    /// `mallopt(M_ARENA_MAX, count)`; nothing where glibc is not the C library. Call before any thread starts.
    package static func limit(to count: Int32) {
        _ = vc_malloc_arena_max(count)
    }
}
