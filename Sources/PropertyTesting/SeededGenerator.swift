import ConvexCore

/// The repeatable generator of the test suites: ConvexCore's ``SplitMix64``. Every random
/// instance comes from a seeded generator whose seed is printed when a check fails, so
/// that the failing case can be replayed and kept as a named regression fixture.
public typealias SeededGenerator = SplitMix64
