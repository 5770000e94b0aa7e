/// A check that an integer allocation is optimal at its global batch, made without the
/// solver (see ``IntegerBatches``).
///
/// At a fixed integer B the allocation is optimal when (i) its slots are optimal for its
/// batches — every device finishes its upload at the same time T and Σ x_k = 1 — and
/// (ii) no exchange of one sample between two devices lowers Σ_k a_k/(T − t_k(B_k)) at
/// that T. Then every other integer allocation b' has Σ a_k/(T − t_k(b'_k)) ≥ 1, so its
/// own round length is at least T.
public struct IntegerCertificate: Sendable, Equatable, CustomStringConvertible {
  /// Every B_k is an integer.
  public internal(set) var integral: Bool
  /// Largest violation of the slot budgets, the batch bounds and Σ B_k = B (relative).
  public internal(set) var feasibilityViolation: Double
  /// (max − min)/max of the devices' upload finishing times: 0 when the slots are optimal
  /// for the batches.
  public internal(set) var finishSpread: Double
  /// The largest relative decrease of Σ_k a_k/(T − t_k(B_k)) one exchange of a sample can
  /// make at the round length T (≤ 0: exchange optimal).
  public internal(set) var exchangeGain: Double
  /// The tolerance of the checks.
  public internal(set) var tolerance: Double

  /// All checks hold within ``tolerance`` and every number is finite.
  public var passed: Bool {
    integral && feasibilityViolation.isFinite && finishSpread.isFinite && exchangeGain.isFinite
      && feasibilityViolation <= tolerance && finishSpread <= tolerance && exchangeGain <= tolerance
  }

  /// One line: `certified` or `NOT certified`, then every number of the check.
  public var description: String {
    "\(passed ? "certified" : "NOT certified") integer optimum at this B: integral \(integral), "
      + "feasibility violation \(feasibilityViolation), finish spread \(finishSpread), "
      + "best exchange gain \(exchangeGain) (tolerance \(tolerance))"
  }
}

extension IntegerBatches {
  /// max over i ≠ j of the decrease of Σ_k f_k(B_k) at T when one sample moves from i to
  /// j, relative to Σ_k f_k(B_k), with f_k(b) = a_k/(T − t_k(b)). Nothing is moved.
  static func bestExchangeGain(_ data: SystemData, _ b: [Double], _ T: Double) -> Double {
    var total = 0.0
    // The two largest savings and the two smallest costs, with their devices.
    var save: [(Double, Int)] = [(-.infinity, -1), (-.infinity, -1)]
    var cost: [(Double, Int)] = [(.infinity, -1), (.infinity, -1)]
    for k in 0..<data.count {
      let here = IntegerBatches.cost(data, k, b[k], T)
      total += here
      if b[k] > 1 {
        let s = here - IntegerBatches.cost(data, k, b[k] - 1, T)
        if s > save[0].0 {
          save[1] = save[0]
          save[0] = (s, k)
        } else if s > save[1].0 {
          save[1] = (s, k)
        }
      }
      if b[k] < data.upper[k] {
        let c = IntegerBatches.cost(data, k, b[k] + 1, T) - here
        if c < cost[0].0 {
          cost[1] = cost[0]
          cost[0] = (c, k)
        } else if c < cost[1].0 {
          cost[1] = (c, k)
        }
      }
    }
    var best = -Double.infinity
    for (s, i) in save where i >= 0 {
      for (c, j) in cost where j >= 0 && j != i { best = Swift.max(best, s - c) }
    }
    if best == -.infinity { return 0 }  // no exchange is possible: B = K or K·B^max.
    return best / total
  }

  /// Checks that `solution` is an optimal integer allocation at its global batch.
  /// - Complexity: O(K).
  public static func certify(
    _ solution: Solution, data: SystemData,
    tolerance: Double = FEELSolver.Settings.default.certificateTolerance
  )
    -> IntegerCertificate
  {
    certify(
      solution.allocation, globalBatch: solution.globalBatch, data: data, tolerance: tolerance)
  }

  /// Checks that `allocation` is an optimal integer allocation at the global batch
  /// `globalBatch` (a wrong length, or a NaN, infinite or negative entry, fails).
  /// - Complexity: O(K).
  public static func certify(
    _ allocation: Allocation, globalBatch: Double, data: SystemData,
    tolerance: Double = FEELSolver.Settings.default.certificateTolerance
  )
    -> IntegerCertificate
  {
    let K = data.count
    guard AllocationProblem.find(allocation, count: K) == nil, K > 0 else {
      return IntegerCertificate(
        integral: false, feasibilityViolation: .infinity, finishSpread: .nan, exchangeGain: .nan,
        tolerance: tolerance)
    }
    let b = allocation.batches
    let x = allocation.uplinkFractions
    var violation = Swift.max(0, x.reduce(0, +) - 1)
    var sum = 0.0
    var integral = true
    var latest = -Double.infinity
    var earliest = Double.infinity
    for k in 0..<K {
      if b[k] != b[k].rounded() { integral = false }
      violation = Swift.max(
        violation, (1 - b[k]) / data.maxBatch, (b[k] - data.upper[k]) / data.maxBatch)
      if !(b[k].isFinite && x[k].isFinite) { violation = .infinity }
      sum += b[k]
      let finish = data.trueLatency(of: k, batch: b[k]) + data.uplinkWork[k] / x[k]
      latest = Swift.max(latest, finish)
      earliest = Swift.min(earliest, finish)
    }
    violation = Swift.max(violation, abs(sum - globalBatch) / Swift.max(1, sum))
    let gain = integral && violation.isFinite ? bestExchangeGain(data, b, latest) : .nan
    return IntegerCertificate(
      integral: integral, feasibilityViolation: violation,
      finishSpread: (latest - earliest) / latest,
      exchangeGain: gain, tolerance: tolerance)
  }
}
