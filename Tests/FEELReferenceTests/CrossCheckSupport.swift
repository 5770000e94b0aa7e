import FEEL
import FEELReference
import FEELTestSupport
import Foundation

/// How many random instances each cross-check property runs.
///
/// 200 by default (the CI run). Setting the environment variable `FEEL_PROPERTY_COUNT`
/// raises it: to its value when that is an integer of at least 200, otherwise (for example
/// `FEEL_PROPERTY_COUNT=1`) to 10 000. Read once, when first used.
///
///     FEEL_PROPERTY_COUNT=1 swift test --filter CrossCheck
enum PropertyCount {
  /// The number of instances per property.
  static let value: Int = {
    guard let text = ProcessInfo.processInfo.environment["FEEL_PROPERTY_COUNT"] else {
      return 200
    }
    if let n = Int(text.trimmingCharacters(in: .whitespaces)), n >= 200 { return n }
    return 10_000
  }()

  /// `value` instances split into `blocks` parallel test cases: the indices of `block`.
  static func indices(block: Int, of blocks: Int) -> StrideTo<Int> {
    stride(from: block, to: value, by: blocks)
  }
}

/// Whether the exploratory (shrinking, randomly seeded) properties run: `FEEL_EXPLORE=1`.
let exploring = ProcessInfo.processInfo.environment["FEEL_EXPLORE"] == "1"

/// The hardware mix of instance `index`: CPU, GPU and mixed in turn.
func kind(of index: Int) -> RandomScenarioKind {
  RandomScenarioKind.allCases[index % RandomScenarioKind.allCases.count]
}

/// |x − y| / |y|.
func relativeDifference(_ x: Double, _ y: Double) -> Double { abs(x - y) / abs(y) }

/// A random global batch for instance `index` of `data`, cycling through the regimes of
/// Theorem 1: the smallest batch K, the largest K·B^max, below Σ ℓ_k (GPUs data-bound;
/// anywhere when there is no such region), exactly Σ ℓ_k, and anywhere in the range.
func randomGlobalBatch(_ data: SystemData, index: Int, _ g: inout SeededGenerator) -> Double {
  let low = data.minimumGlobalBatch
  let high = data.maximumGlobalBatch
  let affine = data.affineMinimumBatch
  switch index % 5 {
  case 0: return low
  case 1: return high
  case 2: return affine > low ? g.uniform(low...affine) : g.uniform(low...high)
  case 3: return affine
  default: return g.uniform(low...high)
  }
}

/// A random scenario whose B^max is at most `maxBatch` (GPU thresholds clamped to it),
/// validated again through its JSON form.
func smallScenario(
  _ g: inout SeededGenerator, kind: RandomScenarioKind, devices: ClosedRange<Int>, maxBatch: Int
) throws -> Scenario {
  var scenario = randomScenario(&g, kind: kind, devices: devices)
  let cap = g.int(in: 1...maxBatch)
  scenario.maxBatch = min(scenario.maxBatch, cap)
  for k in scenario.devices.indices {
    if case .gpu(var profile) = scenario.devices[k].compute {
      profile.thresholdBatch = min(profile.thresholdBatch, scenario.maxBatch)
      scenario.devices[k].compute = .gpu(profile)
    }
  }
  return try Scenario(json: Data(scenario.jsonValue.serialized().utf8))
}
