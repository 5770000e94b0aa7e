import ConvexCore

/// The suites' repeatable generator: ConvexCore's own ``SplitMix64`` (so these tests need
/// nothing above ConvexCore).
typealias SeededGenerator = SplitMix64
