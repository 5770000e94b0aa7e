/// One allocation of a communication round: every device's batch and its share of each
/// TDMA frame, with the frame lengths, so it gives its slots in seconds itself.
///
/// The solvers, the baselines (``EvaluatedPolicy``), ``Solution`` and ``Verifier`` all use
/// this one type. It is plain data: nothing is checked when it is built (``Verifier``
/// checks an allocation against a problem, and reports a wrong length or a non-finite or
/// negative entry as a typed ``VerificationReport/inputProblem``).
public struct Allocation: Sendable, Equatable {
  /// B_k, one per device.
  public let batches: [Double]
  /// x_k = τ_k^U/T_f^U, one per device (Σ x_k ≤ 1 for a feasible allocation).
  public let uplinkFractions: [Double]
  /// y_k = τ_k^D/T_f^D, one per device (Σ y_k ≤ 1 for a feasible allocation).
  public let downlinkFractions: [Double]
  /// T_f^U, seconds.
  public let uplinkFrameSeconds: Double
  /// T_f^D, seconds.
  public let downlinkFrameSeconds: Double

  /// Creates an allocation (not checked; see ``Verifier``).
  public init(
    batches: [Double], uplinkFractions: [Double], downlinkFractions: [Double],
    uplinkFrameSeconds: Double, downlinkFrameSeconds: Double
  ) {
    self.batches = batches
    self.uplinkFractions = uplinkFractions
    self.downlinkFractions = downlinkFractions
    self.uplinkFrameSeconds = uplinkFrameSeconds
    self.downlinkFrameSeconds = downlinkFrameSeconds
  }

  /// This allocation with the given parts replaced (the others and the frames kept), for
  /// example to check a changed allocation against a solution's certificates with
  /// ``Verifier/verify(_:certificatesOf:data:tolerance:)``.
  public func replacing(
    batches: [Double]? = nil, uplinkFractions: [Double]? = nil,
    downlinkFractions: [Double]? = nil
  ) -> Allocation {
    Allocation(
      batches: batches ?? self.batches, uplinkFractions: uplinkFractions ?? self.uplinkFractions,
      downlinkFractions: downlinkFractions ?? self.downlinkFractions,
      uplinkFrameSeconds: uplinkFrameSeconds, downlinkFrameSeconds: downlinkFrameSeconds)
  }

  /// K, the number of batches.
  public var count: Int { batches.count }
  /// B = Σ B_k.
  public var globalBatch: Double { batches.reduce(0, +) }
  /// τ_k^U = x_k·T_f^U, seconds of each uplink frame.
  public var uplinkSlotSeconds: [Double] { uplinkFractions.map { $0 * uplinkFrameSeconds } }
  /// τ_k^D = y_k·T_f^D, seconds of each downlink frame.
  public var downlinkSlotSeconds: [Double] {
    downlinkFractions.map { $0 * downlinkFrameSeconds }
  }
}

/// An allocation for one communication round and what it achieves, with the certificates
/// that prove it optimal and its ``status``. Built by the solvers; immutable.
///
/// Every number is recomputed from the allocation itself with the latency model of
/// eqs. (9)–(15) / (27)–(29), so the reported efficiency is the one the allocation
/// attains, and the allocation is feasible: Σ τ_k^U ≤ T_f^U, Σ τ_k^D ≤ T_f^D,
/// 1 ≤ B_k ≤ B^max and Σ B_k = B (up to rounding of the last bits).
public struct Solution: Sendable, Equatable {
  /// The batches and both slot allocations.
  public internal(set) var allocation: Allocation
  /// The per-device latencies of the allocation.
  public internal(set) var latency: RoundLatency
  /// R_k^U, the average uplink rate of each device the allocation was computed for, bit/s.
  public internal(set) var uplinkRates: [Double]
  /// R_k^D, the average downlink rate of each device, bit/s.
  public internal(set) var downlinkRates: [Double]
  /// B = Σ B_k.
  public internal(set) var globalBatch: Double
  /// E = ΔL(B) / T (eq. 16; ΔL = ξ√B in the paper).
  public internal(set) var learningEfficiency: Double
  /// T = uplinkSeconds + downlinkSeconds (eq. 15 / 29).
  public internal(set) var roundSeconds: Double
  /// max_k t_k^L + t_k^U.
  public internal(set) var uplinkSeconds: Double
  /// max_k t_k^D + t_k^M.
  public internal(set) var downlinkSeconds: Double
  /// Certificate of the uplink allocation at this B (P4). For integer batches
  /// (``IntegerBatches``) it is the continuous problem's at this B: a lower bound on the
  /// uplink round length of every allocation, integer or not, and not the certificate of
  /// this one (that is ``integerCertificate``).
  public internal(set) var uplinkCertificate: UplinkCertificate
  /// Certificate of the downlink allocation (P5).
  public internal(set) var downlinkCertificate: DownlinkCertificate
  /// Certificate of the global batch (P1), present when B was optimized with continuous
  /// batches.
  public internal(set) var globalCertificate: GlobalCertificate?
  /// The certificate of an integer answer (``IntegerBatches``): exchange optimality at its
  /// global batch, checked without the solver. `nil` for continuous answers.
  public internal(set) var integerCertificate: IntegerCertificate?
  /// The work of the solve, in one unit on every path: evaluations of B(T), the exact
  /// water-filling of the uplink (`UplinkEngine`), summed over every search of the solve.
  public internal(set) var evaluations: Int
  /// The loss-decay model the efficiency was computed with.
  public internal(set) var lossDecay: LossDecay
  /// ΔL(B), the loss decrease per round at this global batch under ``lossDecay``
  /// (so ``learningEfficiency`` = lossDecrease / roundSeconds).
  public internal(set) var lossDecrease: Double
  /// What is proven about this answer, derived by the solver from the outcomes of its
  /// searches (ConvexCore's `SolverStatus`) and the verification of the certificate
  /// (``Verifier``); ``SolutionStatus/isCertified`` is `true` exactly when the certificate
  /// verifies.
  public internal(set) var status: SolutionStatus

  /// B_k.
  public var batches: [Double] { allocation.batches }
  /// τ_k^U, seconds of each uplink frame.
  public var uplinkSlotSeconds: [Double] { allocation.uplinkSlotSeconds }
  /// τ_k^D, seconds of each downlink frame.
  public var downlinkSlotSeconds: [Double] { allocation.downlinkSlotSeconds }
}

/// The per-device latencies of an allocation (eqs. 9–15, 27–29).
public struct RoundLatency: Sendable, Equatable {
  /// t_k^L, local gradient computation.
  public internal(set) var compute: [Double]
  /// t_k^U, gradient upload.
  public internal(set) var upload: [Double]
  /// t_k^D, global gradient download.
  public internal(set) var download: [Double]
  /// t_k^M, local model update.
  public internal(set) var update: [Double]
  /// max_k t_k^L + t_k^U.
  public internal(set) var uplinkSeconds: Double
  /// max_k t_k^D + t_k^M.
  public internal(set) var downlinkSeconds: Double
  /// T (eq. 15).
  public var roundSeconds: Double { uplinkSeconds + downlinkSeconds }
}

extension SystemData {
  /// The latencies of `allocation` (see ``latency(batches:uplinkFractions:downlinkFractions:)``).
  public func latency(_ allocation: Allocation) -> RoundLatency {
    latency(
      batches: allocation.batches, uplinkFractions: allocation.uplinkFractions,
      downlinkFractions: allocation.downlinkFractions)
  }

  /// An allocation of these devices from batches and slot fractions, with this system's
  /// frame lengths.
  public func allocation(
    batches: [Double], uplinkFractions: [Double], downlinkFractions: [Double]
  ) -> Allocation {
    Allocation(
      batches: batches, uplinkFractions: uplinkFractions, downlinkFractions: downlinkFractions,
      uplinkFrameSeconds: uplinkFrameSeconds, downlinkFrameSeconds: downlinkFrameSeconds)
  }

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
