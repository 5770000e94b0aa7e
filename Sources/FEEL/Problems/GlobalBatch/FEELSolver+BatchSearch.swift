// Numerical priorities: (1) never replace a certified answer; (2) return the answer with
// a verified certificate when one is found, else the better efficiency; (3) speed does
// not matter here: this runs only after the fast path failed to certify.

extension FEELSolver {
  /// The fallback of ``optimize()`` when its answer is not certified: a golden-section
  /// search for the global batch over B itself instead of over the round length.
  ///
  /// The fast path parametrizes the efficiency by the uplink round length T. When device
  /// times differ by many orders of magnitude, B(T) can climb by hundreds of samples
  /// within one ulp of T (the slow device's time hides the others' compute below its
  /// last bit), so no double T reaches the best B. E(B) = ξ√B/(T^U(B) + T^D) is
  /// quasi-concave in B (Proofs/QuasiConcavity.md), so a golden-section search on B with
  /// the exact fixed-B uplink solver finds the optimum of that plateau; the global
  /// certificate is then built at that B exactly as for the fast path, and verified.
  /// - Complexity: about 80 fixed-B uplink solves of O(K log K) each.
  func searchOverBatchIfUncertified(_ first: Solution) -> Solution {
    guard !first.status.isCertified else { return first }
    let engine = UplinkEngine(data, settings: settings)
    let down = downlink()
    let TD = down.certificate.roundLength
    func efficiency(_ B: Double) -> Double {
      let up = reinforced(uplink(globalBatch: B, engine: engine, start: nil), globalBatch: B)
      return data.efficiency(globalBatch: B, roundSeconds: up.roundLength + TD)
    }
    var a = data.minimumGlobalBatch
    var b = data.maximumGlobalBatch
    let ratio = 0.618_033_988_749_894_9
    var c = b - ratio * (b - a)
    var d = a + ratio * (b - a)
    var fc = efficiency(c)
    var fd = efficiency(d)
    for _ in 0..<settings.batchSearchMaxIterations where b - a > settings.batchSearchTolerance * b {
      if fc >= fd {
        b = d
        d = c
        fd = fc
        c = b - ratio * (b - a)
        fc = efficiency(c)
      } else {
        a = c
        c = d
        fc = fd
        d = a + ratio * (b - a)
        fd = efficiency(d)
      }
    }
    var best = first
    for B in [fc >= fd ? c : d, data.minimumGlobalBatch, data.maximumGlobalBatch] {
      let up = reinforced(uplink(globalBatch: B, engine: engine, start: nil), globalBatch: B)
      let global = Certifier.global(
        data: data, uplink: up.certificate, batches: up.batches, downlink: down.certificate,
        uplinkFloor: engine.minimumRoundFloor,
        efficiency: data.efficiency(globalBatch: B, roundSeconds: up.roundLength + TD),
        settings: settings)
      let candidate = assemble(
        up: up, down: down, global: global, evaluations: first.evaluations + engine.evaluations,
        searches: [engine.rootStatus])
      let better =
        candidate.status.isCertified
        ? !best.status.isCertified || candidate.learningEfficiency > best.learningEfficiency
        : !best.status.isCertified && candidate.learningEfficiency > best.learningEfficiency
      if better { best = candidate }
    }
    return best
  }
}
