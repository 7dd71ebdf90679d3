// The seeded generator (SplitMix64) lives in SystemSupport, where the local stack's fault injection can
// use it without this Foundation-full test module; tests that import TestSupport keep seeing it.
@_exported import SystemSupport
