import FEEL
import FEELReference
import FEELTestSupport
import Foundation

/// Whether the exploratory (shrinking, randomly seeded) properties run: `FEEL_EXPLORE=1`.
let exploring = ProcessInfo.processInfo.environment["FEEL_EXPLORE"] == "1"

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

/// A random scenario with B^max in 1...`maxBatch`, validated again through its JSON form.
func smallScenario(
  _ g: inout SeededGenerator, kind: RandomScenarioKind, devices: ClosedRange<Int>, maxBatch: Int
) throws -> Scenario {
  let scenario = randomScenario(&g, kind: kind, devices: devices, maxBatch: 1...maxBatch)
  return try Scenario(json: Data(scenario.jsonValue.serialized().utf8))
}
