import FEELReference
import Testing

/// Closed forms every reference must reproduce.
@Suite struct AnalyticTests {
  /// One device gets the whole batch and the whole frame: T = t(B) + a.
  @Test(arguments: [
    (a: 0.25, alpha: 0.0, beta: 0.01, total: 40.0),
    (a: 3e-3, alpha: 0.2, beta: 1e-4, total: 128),
    (a: 12.0, alpha: 0.0, beta: 0.5, total: 1),
  ])
  func oneDevice(a: Double, alpha: Double, beta: Double, total: Double) throws {
    let inst = try UplinkInstance(
      a: [a], alpha: [alpha], beta: [beta], lower: [1], upper: [500], total: total)
    let expected = alpha + beta * total + a
    let glpk = try GLPKReference.uplink(inst)
    let lapack = try LAPACKReference.uplink(inst)
    let integer = try GLPKReference.integerUplink(inst)
    let enumerated = try EnumerationReference.integerUplink(inst)
    for (name, s) in [
      ("glpk", glpk), ("lapack", lapack), ("intopt", integer), ("enum", enumerated),
    ] {
      #expect(abs(s.roundLength - expected) <= 1e-12 * expected, "\(name): \(s) vs \(expected)")
      #expect(s.batches == [total], "\(name)")
      #expect(abs(s.slots[0] - 1) <= 1e-12, "\(name)")
    }
  }

  /// A GPU device alone: T = max(t_ℓ, t_ℓ + c·(B − th)) + a, on both sides of the threshold.
  @Test(arguments: [10.0, 32, 64])
  func oneGPUDevice(total: Double) throws {
    let pieces = [
      LatencyPiece(alpha: 0.05, beta: 0), LatencyPiece(alpha: 0.05 - 0.002 * 32, beta: 0.002),
    ]
    let inst = try UplinkInstance(
      a: [0.4], pieces: [pieces], lower: [1], upper: [100], total: total)
    let expected = max(0.05, 0.05 + 0.002 * (total - 32)) + 0.4
    for s in [try GLPKReference.uplink(inst), try LAPACKReference.uplink(inst)] {
      #expect(abs(s.roundLength - expected) <= 1e-12 * expected, "\(s) vs \(expected)")
    }
  }

  /// K identical devices split evenly: B_k = B/K, x_k = 1/K, T = t(B/K) + K·a.
  @Test(arguments: [2, 3, 5, 8])
  func identicalDevices(count: Int) throws {
    let a = 0.2
    let alpha = 0.01
    let beta = 0.003
    let total = 30.0 * Double(count)
    let inst = try UplinkInstance(
      a: Array(repeating: a, count: count), alpha: Array(repeating: alpha, count: count),
      beta: Array(repeating: beta, count: count), lower: Array(repeating: 1, count: count),
      upper: Array(repeating: 100, count: count), total: total)
    let expected = alpha + beta * total / Double(count) + Double(count) * a
    for s in [try GLPKReference.uplink(inst), try LAPACKReference.uplink(inst)] {
      #expect(abs(s.roundLength - expected) <= 1e-9 * expected, "\(s) vs \(expected)")
      for k in 0..<count {
        #expect(abs(s.batches[k] - 30) <= 1e-4 * 30, "\(s)")
        #expect(abs(s.slots[k] - 1 / Double(count)) <= 1e-6, "\(s)")
      }
    }
    let integer = try GLPKReference.integerUplink(inst)
    #expect(abs(integer.roundLength - expected) <= 1e-12 * expected, "\(integer)")
    #expect(integer.batches == Array(repeating: 30, count: count))
  }

  /// K identical downlinks: T = m + K·d, y_k = 1/K.
  @Test(arguments: [1, 2, 4, 7])
  func identicalDownlinks(count: Int) throws {
    let inst = try DownlinkInstance(
      d: Array(repeating: 0.15, count: count), m: Array(repeating: 0.04, count: count))
    let expected = 0.04 + Double(count) * 0.15
    let solutions = [
      try GLPKReference.downlink(inst), try LAPACKReference.downlink(inst),
    ]
    for s in solutions {
      #expect(abs(s.roundLength - expected) <= 1e-9 * expected, "\(s) vs \(expected)")
      #expect(s.batches.isEmpty)
      for y in s.slots { #expect(abs(y - 1 / Double(count)) <= 1e-6) }
    }
    let bisection = inst.bisectionRoundLength().roundLength
    #expect(abs(bisection - expected) <= 1e-14 * expected)
  }

  /// The global batch at Σ lower (or Σ upper) pins every batch.
  @Test func totalAtTheBoxEdge() throws {
    for total in [3.0, 300] {
      let inst = try UplinkInstance(
        a: [0.1, 0.2, 0.3], alpha: [0, 0, 0], beta: [0.01, 0.02, 0.03], lower: [1, 1, 1],
        upper: [100, 100, 100], total: total)
      let pinned = Array(repeating: total / 3, count: 3)
      let expected = inst.roundLength(batches: pinned).roundLength
      for s in [try GLPKReference.uplink(inst), try LAPACKReference.uplink(inst)] {
        #expect(abs(s.roundLength - expected) <= 1e-9 * expected, "\(s) vs \(expected)")
      }
    }
  }
}

/// The validating initializers reject bad data with a typed error.
@Suite struct ValidationTests {
  @Test func rejectsBadUplinkData() {
    func make(
      a: [Double] = [1, 1], beta: [Double] = [0.1, 0.1], lower: [Double] = [1, 1],
      upper: [Double] = [10, 10], total: Double = 5
    ) throws(ReferenceError) -> UplinkInstance {
      try UplinkInstance(
        a: a, alpha: Array(repeating: 0, count: beta.count), beta: beta, lower: lower,
        upper: upper, total: total)
    }
    #expect(throws: ReferenceError.empty) { try make(a: [], beta: [], lower: [], upper: []) }
    #expect(throws: ReferenceError.mismatchedLengths("lower", expected: 2, actual: 1)) {
      try make(lower: [1])
    }
    #expect(throws: ReferenceError.nonFinite("a", index: 1)) { try make(a: [1, .nan]) }
    #expect(throws: ReferenceError.nonPositive("a", index: 0)) { try make(a: [0, 1]) }
    #expect(throws: ReferenceError.nonPositive("beta", index: 1)) { try make(beta: [0.1, -1]) }
    #expect(throws: ReferenceError.nonFinite("upper", index: 0)) {
      try make(upper: [.infinity, 10])
    }
    #expect(throws: ReferenceError.emptyBox(index: 1)) { try make(upper: [10, 0.5]) }
    #expect(throws: ReferenceError.infeasibleTotal) { try make(total: 1) }
    #expect(throws: ReferenceError.infeasibleTotal) { try make(total: 21) }
    #expect(throws: ReferenceError.unsupported("device 0 has no latency piece")) {
      try UplinkInstance(a: [1], pieces: [[]], lower: [0], upper: [1], total: 0)
    }
  }

  @Test func rejectsBadDownlinkData() {
    #expect(throws: ReferenceError.empty) { try DownlinkInstance(d: [], m: []) }
    #expect(throws: ReferenceError.mismatchedLengths("m", expected: 1, actual: 2)) {
      try DownlinkInstance(d: [1], m: [0, 0])
    }
    #expect(throws: ReferenceError.nonPositive("d", index: 0)) {
      try DownlinkInstance(d: [-1], m: [0])
    }
    #expect(throws: ReferenceError.nonPositive("m", index: 0)) {
      try DownlinkInstance(d: [1], m: [-1])
    }
    #expect(throws: ReferenceError.nonFinite("m", index: 0)) {
      try DownlinkInstance(d: [1], m: [.nan])
    }
  }

  @Test func integerSolversRejectFractionalTotals() throws {
    let inst = try UplinkInstance(
      a: [1, 1], alpha: [0, 0], beta: [0.1, 0.1], lower: [1, 1], upper: [10, 10], total: 5.5)
    #expect(throws: ReferenceError.infeasibleTotal) { try GLPKReference.integerUplink(inst) }
    #expect(throws: ReferenceError.infeasibleTotal) {
      try EnumerationReference.integerUplink(inst)
    }
  }
}
