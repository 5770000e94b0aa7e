/// A brute-force reference for the integer uplink problem of tiny instances.
public enum EnumerationReference {
  /// Solves the uplink problem with integer batches by enumerating every integer allocation
  /// `B` with `ceil(lower_k) ≤ B_k ≤ floor(upper_k)` and `Σ B_k = total`, and evaluating each
  /// one's exact round length by bisection on `Σ a_k / (T − t_k(B_k)) = 1`.
  ///
  /// - Guarantee: the returned allocation is optimal among all integer allocations, up to the
  ///   last-bit accuracy of the bisection; `lowerBound == roundLength`; `iterations` is the
  ///   number of allocations evaluated. Ties keep the first allocation in lexicographic order.
  /// - Complexity: O(N·60·K) for N allocations (N ≤ Π (box widths + 1)): tiny K only.
  /// - Throws: `ReferenceError.infeasibleTotal` if no integer allocation exists, and
  ///   `ReferenceError.unsupported` if more than `maxAllocations` would be enumerated.
  public static func integerUplink(
    _ instance: UplinkInstance, maxAllocations: Int = 5_000_000
  ) throws(ReferenceError) -> ReferenceSolution {
    guard let (lower, upper, total) = integerBounds(instance) else { throw .infeasibleTotal }
    let count = instance.count
    var size = 1.0
    for k in 0..<count { size *= upper[k] - lower[k] + 1 }
    guard size <= Double(maxAllocations) * Double(count) else {
      throw .unsupported("more than \(maxAllocations) allocations")
    }
    // suffixLow[k] = Σ_{i ≥ k} lower_i, likewise suffixHigh.
    var suffixLow = [Double](repeating: 0, count: count + 1)
    var suffixHigh = [Double](repeating: 0, count: count + 1)
    for k in stride(from: count - 1, through: 0, by: -1) {
      suffixLow[k] = suffixLow[k + 1] + lower[k]
      suffixHigh[k] = suffixHigh[k + 1] + upper[k]
    }
    var batches = [Double](repeating: 0, count: count)
    var best: (roundLength: Double, slots: [Double])?
    var bestBatches = batches
    var evaluated = 0
    var tooMany = false
    func visit(_ k: Int, _ remaining: Double) {
      if tooMany { return }
      if k == count - 1 {
        batches[k] = remaining
        evaluated += 1
        if evaluated > maxAllocations {
          tooMany = true
          return
        }
        let value = instance.roundLength(batches: batches)
        if best == nil || value.roundLength < best!.roundLength {
          best = value
          bestBatches = batches
        }
        return
      }
      let from = max(lower[k], remaining - suffixHigh[k + 1])
      let to = min(upper[k], remaining - suffixLow[k + 1])
      var b = from
      while b <= to {
        batches[k] = b
        visit(k + 1, remaining - b)
        b += 1
      }
    }
    visit(0, total)
    guard !tooMany else { throw .unsupported("more than \(maxAllocations) allocations") }
    guard let found = best else { throw .infeasibleTotal }
    return ReferenceSolution(
      roundLength: found.roundLength, lowerBound: found.roundLength, batches: bestBatches,
      slots: found.slots, iterations: evaluated)
  }
}
