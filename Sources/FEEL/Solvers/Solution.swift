/// An allocation for one communication round and what it achieves.
///
/// Every number is recomputed from the allocation itself with the latency model of
/// eqs. (9)–(15) / (27)–(29), so the reported efficiency is the one the allocation
/// attains, and the allocation is feasible: Σ τ_k^U ≤ T_f^U, Σ τ_k^D ≤ T_f^D,
/// 1 ≤ B_k ≤ B^max and Σ B_k = B (up to rounding of the last bits).
public struct Solution: Sendable, Equatable {
  /// B = Σ B_k.
  public var globalBatch: Double
  /// E = ΔL(B) / T (eq. 16; ΔL = ξ√B in the paper).
  public var learningEfficiency: Double
  /// T = uplinkSeconds + downlinkSeconds (eq. 15 / 29).
  public var roundSeconds: Double
  /// max_k t_k^L + t_k^U.
  public var uplinkSeconds: Double
  /// max_k t_k^D + t_k^M.
  public var downlinkSeconds: Double
  /// B_k.
  public var batches: [Double]
  /// τ_k^U, seconds of each uplink frame.
  public var uplinkSlotSeconds: [Double]
  /// τ_k^D, seconds of each downlink frame.
  public var downlinkSlotSeconds: [Double]
  /// Certificate of the uplink allocation at this B (P4).
  public var uplinkCertificate: UplinkCertificate
  /// Certificate of the downlink allocation (P5).
  public var downlinkCertificate: DownlinkCertificate
  /// Certificate of the global batch (P1), present when B was optimized.
  public var globalCertificate: GlobalCertificate?
  /// Newton steps and water-fillings spent.
  public var evaluations: Int
  /// The loss-decay model the efficiency was computed with.
  public var lossDecay: LossDecay = .paper
  /// ΔL(B), the loss decrease per round at this global batch under ``lossDecay``
  /// (so ``learningEfficiency`` = lossDecrease / roundSeconds).
  public var lossDecrease: Double = .nan
  /// What is proven about this answer: set by the solver from the outcome of its searches
  /// and the verification of the certificate (``Verifier``); ``SolutionStatus/isCertified``
  /// is `true` exactly when the certificate verifies.
  public var status: SolutionStatus = .notCertified(reason: "not verified")
}

/// The per-device latencies of an allocation (eqs. 9–15, 27–29).
public struct RoundLatency: Sendable, Equatable {
  /// t_k^L, local gradient computation.
  public var compute: [Double]
  /// t_k^U, gradient upload.
  public var upload: [Double]
  /// t_k^D, global gradient download.
  public var download: [Double]
  /// t_k^M, local model update.
  public var update: [Double]
  /// max_k t_k^L + t_k^U.
  public var uplinkSeconds: Double
  /// max_k t_k^D + t_k^M.
  public var downlinkSeconds: Double
  /// T (eq. 15).
  public var roundSeconds: Double { uplinkSeconds + downlinkSeconds }
}

extension SystemData {
  /// The latencies of an allocation given as batches and slot fractions
  /// (x_k = τ_k^U/T_f^U, y_k = τ_k^D/T_f^D). A zero slot gives an infinite latency.
  public func latency(
    batches: [Double], uplinkFractions x: [Double], downlinkFractions y: [Double]
  )
    -> RoundLatency
  {
    var r = RoundLatency(
      compute: [], upload: [], download: [], update: updateSeconds, uplinkSeconds: 0,
      downlinkSeconds: 0)
    r.compute.reserveCapacity(count)
    r.upload.reserveCapacity(count)
    r.download.reserveCapacity(count)
    var up = 0.0
    var down = 0.0
    var sawNaN = false
    for k in 0..<count {
      let c = trueLatency(of: k, batch: batches[k])
      let u = uplinkWork[k] / x[k]
      let d = downlinkWork[k] / y[k]
      r.compute.append(c)
      r.upload.append(u)
      r.download.append(d)
      let ku = c + u
      let kd = d + updateSeconds[k]
      if ku.isNaN || kd.isNaN { sawNaN = true }
      if ku > up { up = ku }
      if kd > down { down = kd }
    }
    r.uplinkSeconds = sawNaN ? .nan : up
    r.downlinkSeconds = sawNaN ? .nan : down
    return r
  }

  /// E = ΔL(B) / T for a global batch and a round length (eq. 16; ΔL = ξ√B in the
  /// paper, `lossDecay` in general).
  public func efficiency(globalBatch: Double, roundSeconds: Double) -> Double {
    lossDecay.value(globalBatch) / roundSeconds
  }

  /// ΔL(B), the loss decrease per round at global batch B under `lossDecay`.
  public func lossDecrease(globalBatch: Double) -> Double {
    lossDecay.value(globalBatch)
  }
}
