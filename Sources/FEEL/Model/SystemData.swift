/// The per-device numbers every solver works on, compiled once from a ``Scenario``.
///
/// Time is measured in seconds and slots as fractions of a frame, x_k = τ_k^U/T_f^U and
/// y_k = τ_k^D/T_f^D, so the frame length cancels from the latencies (eqs. 10–11):
/// t_k^U = a_k/x_k with a_k = s/R_k^U and t_k^D = d_k/y_k with d_k = s/R_k^D.
///
/// The local gradient latency is written in one affine form for CPUs and GPUs,
/// t_k(B_k) = α_k + β_k·B_k on ℓ_k ≤ B_k ≤ u_k (problem P7 for GPUs, P1 for CPUs):
/// - CPU (eq. 9): α_k = 0, β_k = C/f_k^C, ℓ_k = 1, u_k = B^max;
/// - GPU compute-bound region (eq. 27): α_k = t_k^ℓ − c_k·B_k^th, β_k = c_k,
///   ℓ_k = B_k^th, u_k = B^max.
///
/// The true GPU latency (P6) also allows 1 ≤ B_k < B_k^th at the flat latency t_k^ℓ; see
/// ``trueLatency(of:batch:)``.
public struct SystemData: Sendable, Equatable {
  /// K.
  package let count: Int
  /// a_k = s/R_k^U, the upload time of one gradient with the whole uplink frame, seconds.
  package let uplinkWork: [Double]
  /// d_k = s/R_k^D, the download time of one gradient with the whole downlink frame, seconds.
  package let downlinkWork: [Double]
  /// m_k, the local model update latency (eq. 12 for CPUs, eq. 28 for GPUs), seconds.
  package let updateSeconds: [Double]
  /// α_k of the affine compute model, seconds.
  package let alpha: [Double]
  /// β_k of the affine compute model, seconds per sample (> 0).
  package let beta: [Double]
  /// ℓ_k, the smallest batch of the affine model (1 for CPUs, B_k^th for GPUs).
  package let lower: [Double]
  /// u_k = B^max.
  package let upper: [Double]
  /// `true` for GPU devices, whose batch may also lie in the data-bound region [1, B_k^th).
  package let isGPU: [Bool]
  /// The scale of ΔL (ξ, or L∞ for the saturating model): ``LossDecay/scale``.
  package let lossDecayCoefficient: Double
  /// The loss-decay model ΔL(B) of eq. (8) generalized.
  package let lossDecay: LossDecay
  /// T_f^U, seconds.
  package let uplinkFrameSeconds: Double
  /// T_f^D, seconds.
  package let downlinkFrameSeconds: Double
  /// B^max.
  package let maxBatch: Double
  /// (R_k^U, R_k^D), bit/s.
  package let rates: [(uplink: Double, downlink: Double)]

  /// Compiles `scenario`.
  ///
  /// - Throws: ``ScenarioError`` when a derived quantity is not finite and positive
  ///   (for example a rate that is 0 at a huge distance).
  public init(_ scenario: Scenario) throws {
    let K = scenario.devices.count
    var a = [Double](), d = [Double](), m = [Double](), al = [Double](), be = [Double]()
    var lo = [Double](), gpu = [Bool](), rates = [(uplink: Double, downlink: Double)]()
    a.reserveCapacity(K)
    d.reserveCapacity(K)
    m.reserveCapacity(K)
    al.reserveCapacity(K)
    be.reserveCapacity(K)
    lo.reserveCapacity(K)
    gpu.reserveCapacity(K)
    rates.reserveCapacity(K)
    let s = scenario.gradientBits
    for k in 0..<K {
      let path = "devices[\(k)]"
      let r = scenario.rates(of: k)
      guard r.uplink.isFinite, r.uplink > 0 else {
        throw ScenarioError(
          field: "\(path).distanceMeters",
          reason: "gives an uplink rate of \(r.uplink) bit/s; it must be > 0")
      }
      guard r.downlink.isFinite, r.downlink > 0 else {
        throw ScenarioError(
          field: "\(path).distanceMeters",
          reason: "gives a downlink rate of \(r.downlink) bit/s; it must be > 0")
      }
      rates.append(r)
      a.append(try Check.positive(s / r.uplink, "\(path): gradientBits/uplinkBps"))
      d.append(try Check.positive(s / r.downlink, "\(path): gradientBits/downlinkBps"))
      switch scenario.devices[k].compute {
      case .cpu(let hz):
        let C = scenario.cyclesPerSample ?? 0
        al.append(0)
        be.append(try Check.positive(C / hz, "\(path): cyclesPerSample/cpuHz"))
        lo.append(1)
        m.append(try Check.nonNegative(scenario.updateCycles / hz, "\(path): updateCycles/cpuHz"))
        gpu.append(false)
      case .gpu(let g):
        let th = Double(g.thresholdBatch)
        al.append(g.baseSeconds - g.secondsPerSample * th)
        be.append(g.secondsPerSample)
        lo.append(th)
        m.append(
          try Check.nonNegative(scenario.updateFlops / g.flops, "\(path): updateFlops/gpu.flops"))
        gpu.append(true)
      }
    }
    count = K
    uplinkWork = a
    downlinkWork = d
    updateSeconds = m
    alpha = al
    beta = be
    lower = lo
    upper = [Double](repeating: Double(scenario.maxBatch), count: K)
    isGPU = gpu
    lossDecayCoefficient = scenario.lossDecayCoefficient
    lossDecay = scenario.lossDecay
    uplinkFrameSeconds = scenario.uplinkFrameSeconds
    downlinkFrameSeconds = scenario.downlinkFrameSeconds
    maxBatch = Double(scenario.maxBatch)
    self.rates = rates
  }

  /// Equality of what the solvers compute with: the per-device arrays and ΔL, T_f^U, T_f^D
  /// (`rates` and `maxBatch` enter only through `uplinkWork`, `downlinkWork` and `upper`).
  public static func == (lhs: SystemData, rhs: SystemData) -> Bool {
    lhs.uplinkWork == rhs.uplinkWork && lhs.downlinkWork == rhs.downlinkWork
      && lhs.updateSeconds == rhs.updateSeconds && lhs.alpha == rhs.alpha && lhs.beta == rhs.beta
      && lhs.lower == rhs.lower && lhs.upper == rhs.upper && lhs.isGPU == rhs.isGPU
      && lhs.lossDecay == rhs.lossDecay
      && lhs.uplinkFrameSeconds == rhs.uplinkFrameSeconds
      && lhs.downlinkFrameSeconds == rhs.downlinkFrameSeconds
  }

  /// The true local gradient latency of device `k` at batch `b` (eq. 9 or eq. 27).
  /// For a GPU this is the two-piece function, flat below B_k^th.
  @inline(__always)
  public func trueLatency(of k: Int, batch b: Double) -> Double {
    let affine = alpha[k] + beta[k] * b
    if isGPU[k] {
      let flat = alpha[k] + beta[k] * lower[k]
      return affine > flat ? affine : flat
    }
    return affine
  }

  /// Σ ℓ_k, the smallest global batch of the affine model (K for CPU fleets, and
  /// #CPU + Σ B_k^th with GPUs: the least B at which every GPU is compute-bound).
  public var affineMinimumBatch: Double { lower.reduce(0, +) }
  /// K, the smallest global batch of the true model (every B_k = 1).
  public var minimumGlobalBatch: Double { Double(count) }
  /// K·B^max, the largest global batch.
  public var maximumGlobalBatch: Double { upper.reduce(0, +) }
}
