import ConvexCore
import Foundation
import PropertyTesting
import Testing

@Suite struct LevelWaterFillingTests {
  @Test func proportionalAllocationForLogUtilities() {
    // minimize Σ −a_k log x_k s.t. Σ x = T: x_k = T·a_k/Σa.
    forEachInstance(seed: 41, count: 200) { i, g in
      let k = 1 + i % 12
      let a = (0..<k).map { _ in g.logUniform(1e-3...1e3) }
      let total = g.logUniform(1e-3...1e3)
      let r = LevelWaterFilling.solve(
        lower: Array(repeating: total * 1e-9, count: k), upper: Array(repeating: total, count: k),
        total: total
      ) { j, x in -a[j] / x }
      let context = "seed 41 instance \(i)"
      #expect(r.status == .converged, "\(context) \(r.status)")
      let sumA = a.reduce(0, +)
      for j in 0..<k {
        let expected = max(total * a[j] / sumA, total * 1e-9)
        #expect(abs(r.allocation[j] - expected) <= 1e-9 * total, "\(context) component \(j)")
      }
    }
  }

  @Test func quadraticsMatchBreakpointWaterFilling() {
    // f_k = w_k/2·(x − c_k)²: x_k(ν) = clamp(c_k + ν/w_k), i.e. p = c, q = 1/w, level −ν.
    var exact = BreakpointWaterFilling(capacity: 32)
    forEachInstance(seed: 42, count: 200) { i, g in
      let k = 1 + i % 30
      let w = (0..<k).map { _ in g.logUniform(1e-2...1e2) }
      let c = (0..<k).map { _ in g.uniform(-10...10) }
      let lo = (0..<k).map { _ in g.uniform(-5...0) }
      let hi = lo.map { $0 + g.uniform(0...5) }
      let sLo = lo.reduce(0, +)
      let sHi = hi.reduce(0, +)
      let total = sLo + g.uniform(0...1) * (sHi - sLo)
      let r = LevelWaterFilling.solve(lower: lo, upper: hi, total: total) { j, x in
        w[j] * (x - c[j])
      }
      let e = exact.solve(p: c, q: w.map { 1 / $0 }, lo: lo, hi: hi, total: total)
      let context = "seed 42 instance \(i)"
      #expect(r.status == .converged && e.status == .converged, "\(context)")
      #expect(r.allocation.count == k, "\(context)")
      let sum = r.allocation.reduce(0, +)
      #expect(abs(sum - total) <= 1e-12 * max(1, abs(sLo) + abs(sHi)), "\(context) sum \(sum)")
      for j in 0..<k {
        #expect(lo[j] <= r.allocation[j] && r.allocation[j] <= hi[j], "\(context) box \(j)")
        let x = min(max(c[j] - e.level / w[j], lo[j]), hi[j])
        #expect(abs(r.allocation[j] - x) <= 1e-8 * max(1, abs(x)), "\(context) x[\(j)]")
      }
    }
  }

  @Test func kktHoldsAtTheLevel() {
    forEachInstance(seed: 43, count: 200) { i, g in
      let k = 1 + i % 10
      let a = (0..<k).map { _ in g.logUniform(1e-2...1e2) }
      let lo = (0..<k).map { _ in g.uniform(0...1) }
      let hi = lo.map { $0 + g.logUniform(1e-3...10) }
      let total = lo.reduce(0, +) + g.uniform(0...1) * (hi.reduce(0, +) - lo.reduce(0, +))
      // f_k(x) = a_k·exp(x): f' = a_k·exp(x).
      let r = LevelWaterFilling.solve(lower: lo, upper: hi, total: total) { j, x in
        a[j] * exp(x)
      }
      let context = "seed 43 instance \(i)"
      #expect(r.status == .converged, "\(context)")
      for j in 0..<k {
        let d = a[j] * exp(r.allocation[j])
        let slack = 1e-7 * max(1, abs(r.level))
        if r.allocation[j] > lo[j] + 1e-9 { #expect(d <= r.level + slack, "\(context) \(j)") }
        if r.allocation[j] < hi[j] - 1e-9 { #expect(d >= r.level - slack, "\(context) \(j)") }
      }
    }
  }

  @Test func linearCostsFillCheapestFirst() {
    let r = LevelWaterFilling.solve(lower: [0, 0, 0], upper: [1, 1, 1], total: 1.5) { j, _ in
      [3.0, 1.0, 2.0][j]
    }
    #expect(r.status == .converged)
    #expect(abs(r.allocation[1] - 1) <= 1e-12)
    #expect(abs(r.allocation[2] - 0.5) <= 1e-12)
    #expect(abs(r.allocation[0]) <= 1e-12)
  }

  @Test func oneVariableAndEmpty() {
    let one = LevelWaterFilling.solve(lower: [2], upper: [5], total: 3) { _, x in x }
    #expect(one.status == .converged && one.allocation == [3])
    let empty = LevelWaterFilling.solve(lower: [], upper: [], total: 0) { _, x in x }
    #expect(empty.status == .converged && empty.allocation.isEmpty)
    let emptyBad = LevelWaterFilling.solve(lower: [], upper: [], total: 1) { _, x in x }
    guard case .infeasible = emptyBad.status else {
      Issue.record("expected infeasible, got \(emptyBad.status)")
      return
    }
  }

  @Test func fixedVariablesAndTotalsAtTheBounds() {
    let fixed = LevelWaterFilling.solve(lower: [1, 2], upper: [1, 2], total: 3) { _, x in x }
    #expect(fixed.status == .converged && fixed.allocation == [1, 2])
    let top = LevelWaterFilling.solve(lower: [0, 0], upper: [1, 2], total: 3) { _, x in x }
    #expect(top.status == .converged && top.allocation == [1, 2])
    let bottom = LevelWaterFilling.solve(lower: [0, 0], upper: [1, 2], total: 0) { _, x in x }
    #expect(bottom.status == .converged && bottom.allocation == [0, 0])
  }

  @Test func wideDynamicRange() {
    let scales = [1e-12, 1.0, 1e12]
    let r = LevelWaterFilling.solve(lower: [0, 0, 0], upper: scales, total: 1) { j, x in
      (x - scales[j] / 2) / scales[j]
    }
    #expect(r.status == .converged)
    #expect(abs(r.allocation.reduce(0, +) - 1) <= 1e-12)
    #expect(zip(r.allocation, scales).allSatisfy { $0 >= 0 && $0 <= $1 })
  }

  @Test func rejectsMalformedInput() {
    let d: (Int, Double) -> Double = { _, x in x }
    let results = [
      LevelWaterFilling.solve(lower: [0, 0], upper: [1], total: 1, derivative: d),
      LevelWaterFilling.solve(lower: [0, .nan], upper: [1, 1], total: 1, derivative: d),
      LevelWaterFilling.solve(lower: [0, 0], upper: [1, .infinity], total: 1, derivative: d),
      LevelWaterFilling.solve(lower: [0, 2], upper: [1, 1], total: 1, derivative: d),
      LevelWaterFilling.solve(lower: [0, 0], upper: [1, 1], total: .nan, derivative: d),
      LevelWaterFilling.solve(
        lower: [0, 0], upper: [1, 1], total: 1, tolerance: 0, derivative: d),
      LevelWaterFilling.solve(lower: [0, 0], upper: [1, 1], total: 1) { _, _ in .nan },
      LevelWaterFilling.solve(lower: [0, 0], upper: [1, 1], total: 1) { _, x in
        x > 0.1 && x < 0.9 ? .nan : x
      },
      LevelWaterFilling.solve(lower: [0, 0], upper: [1, 1], total: 1) { _, x in 1 / x },
    ]
    for (i, r) in results.enumerated() {
      guard case .invalidInput = r.status else {
        Issue.record("case \(i): expected invalidInput, got \(r.status)")
        continue
      }
    }
    let infeasible = LevelWaterFilling.solve(
      lower: [0, 0], upper: [1, 1], total: 3, derivative: d)
    guard case .infeasible = infeasible.status else {
      Issue.record("expected infeasible, got \(infeasible.status)")
      return
    }
  }
}
