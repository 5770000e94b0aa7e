import Foundation
import Testing

/// How many random instances a property test runs.
///
/// Every property states its standard count (200 for most, what CI runs). The environment
/// variable `FEEL_PROPERTY_COUNT` = N rescales all of them: a property whose standard count
/// is 200 runs N instances, and any other runs its count × N / 200 (at least 1). Lower it for
/// a quick local loop, raise it for a long run:
///
///     FEEL_PROPERTY_COUNT=20 swift test --filter SolverRandomTests
///     FEEL_PROPERTY_COUNT=10000 swift test --filter CrossCheck
public enum PropertyCount {
  /// The count most properties run by default: the reference for `FEEL_PROPERTY_COUNT`.
  public static let standard = 200

  /// The value of `FEEL_PROPERTY_COUNT` when it is a positive integer, else nil (read once).
  public static let setting: Int? = {
    guard let text = ProcessInfo.processInfo.environment["FEEL_PROPERTY_COUNT"],
      let n = Int(text.trimmingCharacters(in: .whitespaces)), n > 0
    else { return nil }
    return n
  }()

  /// The number of instances a property of standard count `count` runs: `count` itself, or
  /// `count` × `FEEL_PROPERTY_COUNT` / 200 (at least 1) when the variable is set.
  public static func scaled(_ count: Int) -> Int {
    guard let setting else { return count }
    return Swift.max(1, Int((Double(count) * Double(setting) / Double(standard)).rounded()))
  }

  /// A threshold on how many of a property's instances hit some case (`count` at the
  /// standard counts), rescaled like the counts and rounded down: `count` itself, or
  /// ⌊`count` × `FEEL_PROPERTY_COUNT` / 200⌋ when the variable is set.
  public static func atLeast(_ count: Int) -> Int {
    guard let setting else { return count }
    return Int((Double(count) * Double(setting) / Double(standard)).rounded(.down))
  }

  /// The standard count 200, rescaled by `FEEL_PROPERTY_COUNT`.
  public static var value: Int { scaled(standard) }

  /// ``value`` instances split into `blocks` parallel test cases: the indices of `block`.
  public static func indices(block: Int, of blocks: Int) -> StrideTo<Int> {
    stride(from: block, to: value, by: blocks)
  }
}

/// The seed of instance `index` of a property seeded with `seed`: the `index`-th output of a
/// ``SeededGenerator`` started at `seed`, so that instances draw from unrelated streams and
/// one of them can be replayed alone with `SeededGenerator(seed: instanceSeed(seed, index))`.
public func instanceSeed(_ seed: UInt64, _ index: Int) -> UInt64 {
  var g = SeededGenerator(seed: seed &+ UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15)
  return g.next()
}

/// Runs a property on ``PropertyCount/scaled(_:)`` (`count`) random instances: `body`
/// gets the instance's index and a generator seeded with ``instanceSeed(_:_:)`` of `seed`
/// and the index.
///
/// When an instance fails (an expectation in `body` records an issue, or `body` throws), one
/// more issue names the seed, the index and the instance's own seed, and the remaining
/// instances are skipped: the first failure is the one to replay and keep as a fixture.
///
/// - Parameters:
///   - seed: the property's fixed seed.
///   - count: its standard number of instances (rescaled by `FEEL_PROPERTY_COUNT`).
///   - block, blocks: with `blocks` > 1, only the indices ≡ `block` (mod `blocks`): a
///     property split over `@Test(arguments: 0..<blocks)` cases that run in parallel.
///   - body: checks one instance; `index` counts from 0.
public func forEachInstance(
  seed: UInt64, count: Int, block: Int = 0, of blocks: Int = 1,
  sourceLocation: SourceLocation = #_sourceLocation,
  _ body: (_ index: Int, _ generator: inout SeededGenerator) throws -> Void
) {
  let failed = FailureFlag()
  for index in stride(from: block, to: PropertyCount.scaled(count), by: blocks) {
    let own = instanceSeed(seed, index)
    var generator = SeededGenerator(seed: own)
    var thrown: (any Error)?
    // Sees the issues `body` records without claiming them: the matcher never matches, so
    // each one is still reported as a failure of the test.
    withKnownIssue(isIntermittent: true) {
      do { try body(index, &generator) } catch { thrown = error }
    } matching: { _ in
      failed.set()
      return false
    }
    let context = String(
      format: "instance %d of seed 0x%llX (its own seed: 0x%llX)", index, seed, own)
    if let thrown {
      Issue.record(thrown, "\(context) threw", sourceLocation: sourceLocation)
      return
    }
    if failed.isSet {
      Issue.record("failed at \(context)", sourceLocation: sourceLocation)
      return
    }
  }
}

/// Whether an issue was seen (set from the known-issue matcher, which must be `Sendable`).
private final class FailureFlag: @unchecked Sendable {
  private let lock = NSLock()
  private var value = false
  func set() { lock.withLock { value = true } }
  var isSet: Bool { lock.withLock { value } }
}
