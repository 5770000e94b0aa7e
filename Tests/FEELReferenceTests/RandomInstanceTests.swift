import FEELReference
import FEELTestSupport
import Testing

/// One device's latency pieces: with probability `cpuShare` a CPU (one piece through the
/// origin, slope log-uniform in `cpuSlope`, threshold nil), else a GPU (flat at 1e-3…1 s up
/// to a threshold uniform in `thresholds` and rounded, then a slope log-uniform in
/// `gpuSlope`).
func randomPieces(
  _ g: inout SeededGenerator, cpuShare: Double, cpuSlope: ClosedRange<Double>,
  gpuSlope: ClosedRange<Double>, thresholds: ClosedRange<Double>
) -> (pieces: [LatencyPiece], threshold: Double?) {
  if g.uniform(0...1) < cpuShare {
    return ([LatencyPiece(alpha: 0, beta: g.logUniform(cpuSlope))], nil)
  }
  let flat = g.logUniform(1e-3...1)
  let slope = g.logUniform(gpuSlope)
  let threshold = g.uniform(thresholds).rounded()
  return (
    [
      LatencyPiece(alpha: flat, beta: 0),
      LatencyPiece(alpha: flat - slope * threshold, beta: slope),
    ], threshold
  )
}

/// A random uplink instance: K devices, upload times over four decades, CPU devices
/// (one piece through the origin) and GPU devices (flat piece, then a slope above a
/// threshold), boxes of varied width, and a global batch anywhere in [Σ lower, Σ upper]
/// (sometimes exactly at an end).
func randomUplink(seed: UInt64, count: Int) throws -> UplinkInstance {
  var g = SeededGenerator(seed: seed)
  var a: [Double] = []
  var pieces: [[LatencyPiece]] = []
  var lower: [Double] = []
  var upper: [Double] = []
  for _ in 0..<count {
    a.append(g.logUniform(1e-3...10))
    let device = randomPieces(
      &g, cpuShare: 0.6, cpuSlope: 1e-5...1e-1, gpuSlope: 1e-5...1e-2, thresholds: 1...64)
    pieces.append(device.pieces)
    lower.append(device.threshold == nil || g.uniform(0...1) < 0.5 ? 1 : device.threshold!)
    upper.append(lower.last! + (g.uniform(0...1) < 0.1 ? 0 : g.logUniform(1...1000)))
  }
  let low = lower.reduce(0, +)
  let high = upper.reduce(0, +)
  let where_ = g.uniform(0...1)
  let total = where_ < 0.05 ? low : where_ > 0.95 ? high : low + g.uniform(0...1) * (high - low)
  return try UplinkInstance(a: a, pieces: pieces, lower: lower, upper: upper, total: total)
}

/// Checks that a solution is feasible for `inst` and that its round length is what it claims.
func expectFeasible(_ s: ReferenceSolution, _ inst: UplinkInstance, _ context: String) {
  #expect(s.batches.count == inst.count && s.slots.count == inst.count, "\(context)")
  guard s.batches.count == inst.count, s.slots.count == inst.count else { return }
  let scale = max(1, abs(inst.total))
  #expect(abs(s.batches.reduce(0, +) - inst.total) <= 1e-9 * scale, "Σ B: \(context)")
  #expect(s.slots.reduce(0, +) <= 1 + 1e-12, "Σ x: \(context)")
  var claimed = -Double.infinity
  for k in 0..<inst.count {
    #expect(s.batches[k] >= inst.lower[k] - 1e-9 * scale, "lower \(k): \(context)")
    #expect(s.batches[k] <= inst.upper[k] + 1e-9 * scale, "upper \(k): \(context)")
    #expect(s.slots[k] > 0, "slot \(k): \(context)")
    claimed = max(claimed, inst.latency(k, s.batches[k]) + inst.a[k] / s.slots[k])
  }
  #expect(abs(claimed - s.roundLength) <= 1e-12 * s.roundLength, "T: \(context)")
  #expect(s.lowerBound <= s.roundLength, "bounds: \(context)")
}

/// An independent bisection for Σ n_k / (T − c_k) = 1 (the test's own, not the library's).
func bisectionRoot(_ n: [Double], _ c: [Double]) -> Double {
  var lo = c.max()!
  var hi = lo + n.reduce(0, +) + 1
  for _ in 0..<200 {
    let mid = (lo + hi) / 2
    var sum = 0.0
    for k in 0..<n.count { sum += n[k] / (mid - c[k]) }
    if sum > 1 { lo = mid } else { hi = mid }
  }
  return hi
}

/// GLPK's cutting planes and LAPACK's barrier on `inst`: both feasible, agreeing to 1e-7,
/// each within its own certified gap (1e-8 and 1e-9). Returns both answers.
@discardableResult
func referencesAgree(
  on inst: UplinkInstance, _ context: String
) throws -> (glpk: ReferenceSolution, lapack: ReferenceSolution) {
  let glpk = try GLPKReference.uplink(inst)
  let lapack = try LAPACKReference.uplink(inst)
  expectFeasible(glpk, inst, "glpk " + context)
  expectFeasible(lapack, inst, "lapack " + context)
  let difference = relativeDifference(glpk.roundLength, lapack.roundLength)
  #expect(difference <= 1e-7, "disagree by \(difference): \(context)")
  #expect(glpk.relativeGap <= 1e-8, "glpk gap \(glpk.relativeGap): \(context)")
  #expect(lapack.relativeGap <= 1e-9, "lapack gap \(lapack.relativeGap): \(context)")
  return (glpk, lapack)
}

@Suite struct RandomInstanceTests {
  /// 64 instances, K = 1…8: GLPK's cutting planes and LAPACK's barrier agree to 1e-7
  /// (in practice to about 1e-9), each within its own certified gap, and each one's
  /// lower bound is below the other's feasible value.
  @Test(arguments: 0..<8)
  func glpkAndLapackAgreeOnUplink(block: Int) throws {
    forEachInstance(seed: 1000, count: 64, block: block, of: 8) { index, g in
      let count = 1 + index / 8
      let inst = try randomUplink(seed: g.next(), count: count)
      let context = "K \(count): \(inst)"
      let (glpk, lapack) = try referencesAgree(on: inst, context)
      #expect(glpk.lowerBound <= lapack.roundLength * (1 + 1e-12), "\(context)")
      #expect(lapack.lowerBound <= glpk.roundLength * (1 + 1e-12), "\(context)")
    }
  }

  /// 64 downlink instances over four decades: GLPK and LAPACK match the bisection root of
  /// Σ d_k / (T − m_k) = 1 to 1e-9.
  @Test func downlinkMatchesBisection() throws {
    forEachInstance(seed: 5000, count: 64) { index, g in
      let count = 1 + index % 8
      let d = (0..<count).map { _ in g.logUniform(1e-3...10) }
      let m = (0..<count).map { _ in g.uniform(0...1) < 0.2 ? 0 : g.logUniform(1e-4...1) }
      let inst = try DownlinkInstance(d: d, m: m)
      let context = "d \(d), m \(m)"
      let root = bisectionRoot(d, m)
      #expect(abs(inst.bisectionRoundLength().roundLength - root) <= 1e-14 * root, "\(context)")
      for s in [try GLPKReference.downlink(inst), try LAPACKReference.downlink(inst)] {
        #expect(abs(s.roundLength - root) <= 1e-9 * root, "\(s) vs \(root): \(context)")
        #expect(s.lowerBound <= root * (1 + 1e-12), "\(context)")
        #expect(s.slots.reduce(0, +) <= 1 + 1e-12, "\(context)")
      }
    }
  }

  /// The uplink with fixed batches is the downlink: its round length is the bisection root.
  @Test func fixedBatchesReduceToTheRoot() throws {
    forEachInstance(seed: 7000, count: 16) { index, g in
      let count = 1 + index % 6
      let a = (0..<count).map { _ in g.logUniform(1e-3...10) }
      let beta = (0..<count).map { _ in g.logUniform(1e-4...1e-1) }
      let b = (0..<count).map { _ in g.uniform(1...100).rounded() }
      let inst = try UplinkInstance(
        a: a, alpha: Array(repeating: 0, count: count), beta: beta, lower: b, upper: b,
        total: b.reduce(0, +))
      let root = bisectionRoot(a, (0..<count).map { beta[$0] * b[$0] })
      for s in [try GLPKReference.uplink(inst), try LAPACKReference.uplink(inst)] {
        #expect(abs(s.roundLength - root) <= 1e-9 * root, "\(inst)")
      }
    }
  }

  /// 60 tiny integer instances (K = 1…6, CPU and GPU devices, boxes up to 30 wide):
  /// glp_intopt's cutting-plane answer equals brute-force enumeration.
  @Test(arguments: 0..<3)
  func intoptMatchesEnumeration(block: Int) throws {
    forEachInstance(seed: 9000, count: 60, block: block, of: 3) { i, g in
      let count = 1 + i % 6
      var a: [Double] = []
      var pieces: [[LatencyPiece]] = []
      var lower: [Double] = []
      var upper: [Double] = []
      for _ in 0..<count {
        a.append(g.logUniform(1e-3...10))
        pieces.append(
          randomPieces(
            &g, cpuShare: 0.5, cpuSlope: 1e-4...1, gpuSlope: 1e-4...1e-1, thresholds: 1...10
          ).pieces)
        lower.append(g.uniform(1...3).rounded())
        upper.append(lower.last! + g.uniform(0...(count > 4 ? 6 : 30)).rounded())
      }
      let low = lower.reduce(0, +)
      let total = (low + g.uniform(0...1) * (upper.reduce(0, +) - low)).rounded()
      let inst = try UplinkInstance(
        a: a, pieces: pieces, lower: lower, upper: upper, total: total)
      let context = "\(inst)"
      let mip = try GLPKReference.integerUplink(inst)
      let brute = try EnumerationReference.integerUplink(inst)
      expectFeasible(mip, inst, context)
      expectFeasible(brute, inst, context)
      #expect(mip.batches.allSatisfy { $0 == $0.rounded() }, "\(context)")
      #expect(
        abs(mip.roundLength - brute.roundLength) <= 1e-12 * brute.roundLength,
        "\(mip) vs \(brute): \(context)")
      #expect(mip.lowerBound <= brute.roundLength * (1 + 1e-9), "\(context)")
      #expect(mip.relativeGap <= 1e-5, "\(context)")
      // The continuous optimum is a lower bound on the integer one.
      let relaxed = try LAPACKReference.uplink(inst)
      #expect(relaxed.lowerBound <= brute.roundLength * (1 + 1e-12), "\(context)")
    }
  }

  /// 24 instances with data over nine decades (upload 1e-6…1e3 s, slopes 1e-8…1 s/sample,
  /// boxes up to 1e4 wide): the two references still agree to 1e-7.
  @Test func wideRangeAgreement() throws {
    forEachInstance(seed: 55_000, count: 24) { i, g in
      let count = 1 + i % 10
      let a = (0..<count).map { _ in g.logUniform(1e-6...1e3) }
      let beta = (0..<count).map { _ in g.logUniform(1e-8...1) }
      let alpha = (0..<count).map { _ in g.uniform(0...1) < 0.5 ? 0 : g.logUniform(1e-4...10) }
      let lower = (0..<count).map { _ in g.logUniform(1...100).rounded() }
      let upper = lower.map { $0 + g.logUniform(1...10000) }
      let low = lower.reduce(0, +)
      let total = low + g.uniform(0...1) * (upper.reduce(0, +) - low)
      let inst = try UplinkInstance(
        a: a, alpha: alpha, beta: beta, lower: lower, upper: upper, total: total)
      let context = "K \(count): \(inst)"
      try referencesAgree(on: inst, context)
    }
  }

  /// Solves run concurrently on several threads give the serial answers (each call owns its
  /// GLPK problem object and its LAPACK buffers).
  @Test func concurrentSolvesMatchSerialOnes() async throws {
    let instances = try (0..<8).map { try randomUplink(seed: UInt64(600 + $0), count: 2 + $0 % 5) }
    let serial = try instances.map { try GLPKReference.uplink($0).roundLength }
    let lapackSerial = try instances.map { try LAPACKReference.uplink($0).roundLength }
    let parallel = try await withThrowingTaskGroup(of: (Int, Double, Double).self) { group in
      for (index, inst) in instances.enumerated() {
        group.addTask {
          (
            index, try GLPKReference.uplink(inst).roundLength,
            try LAPACKReference.uplink(inst).roundLength
          )
        }
      }
      var results = [(Double, Double)](repeating: (0, 0), count: instances.count)
      for try await (index, glpk, lapack) in group { results[index] = (glpk, lapack) }
      return results
    }
    for index in 0..<instances.count {
      #expect(parallel[index].0 == serial[index], "instance \(index)")
      #expect(parallel[index].1 == lapackSerial[index], "instance \(index)")
    }
  }
}
