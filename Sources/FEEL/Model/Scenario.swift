/// The compute hardware of one device and its latency model.
public enum Compute: Sendable, Equatable {
  /// A CPU running at `hz` cycles per second, f_k^C: local gradient latency
  /// B_k·C/f_k^C (eq. 9) and model update latency M^C/f_k^C (eq. 12).
  case cpu(hz: Double)
  /// A GPU following the two-piece training function of Assumption 1 (eq. 27);
  /// model update latency M^G/f_k^G (eq. 28).
  case gpu(GPUProfile)
}

/// The GPU training function of Assumption 1 (eq. 27) and the GPU's FLOP rate.
///
/// t_k^{L,G}(B_k) = t_k^ℓ for 1 ≤ B_k ≤ B_k^th (data-bound region) and
/// t_k^ℓ + c_k·(B_k − B_k^th) for B_k^th < B_k ≤ B^max (compute-bound region).
public struct GPUProfile: Sendable, Equatable {
  /// t_k^ℓ, the latency of one local gradient in the data-bound region, seconds.
  public var baseSeconds: Double
  /// c_k, the extra latency per sample beyond the threshold, seconds (> 0).
  public var secondsPerSample: Double
  /// B_k^th, the largest batch processed in one parallel pass (integer, 1 ≤ B_k^th ≤ B^max).
  public var thresholdBatch: Int
  /// f_k^G, floating-point operations per second, for the model update (eq. 28).
  public var flops: Double

  /// Creates a profile; values are checked when the ``Scenario`` is built.
  public init(baseSeconds: Double, secondsPerSample: Double, thresholdBatch: Int, flops: Double) {
    self.baseSeconds = baseSeconds
    self.secondsPerSample = secondsPerSample
    self.thresholdBatch = thresholdBatch
    self.flops = flops
  }

  /// The local gradient latency t_k^{L,G}(B) of eq. (27), for any real B ≥ 1.
  public func latency(batch: Double) -> Double {
    baseSeconds + secondsPerSample * Swift.max(0, batch - Double(thresholdBatch))
  }
}

/// How a device's average link rates are known.
public enum Link: Sendable, Equatable {
  /// Average uplink and downlink rates R_k^U, R_k^D in bit/s (eqs. 5–6), given directly.
  case rates(uplinkBps: Double, downlinkBps: Double)
  /// Distance to the base station in metres; rates come from the scenario's ``Channel``.
  case distance(meters: Double)
}

/// One user device: its compute hardware and its link.
public struct Device: Sendable, Equatable {
  /// CPU or GPU.
  public var compute: Compute
  /// Rates, or distance for the channel model.
  public var link: Link

  /// Creates a device.
  public init(compute: Compute, link: Link) {
    self.compute = compute
    self.link = link
  }
}

/// A FEEL system (Section II): model, devices and links, checked when built.
///
/// All quantities are SI: seconds, bits, bit/s, cycles/s, FLOP/s, metres. Building a
/// scenario checks every value and throws ``ScenarioError`` naming the field on the
/// first bad one; a built scenario is always valid for every solver in this module.
public struct Scenario: Sendable, Equatable {
  /// Free text.
  public var name: String?
  /// s = b·p, the size of one quantized gradient in bits.
  public var gradientBits: Double
  /// The loss-decay model ΔL(B) (eq. 8 generalized; the scenario key `lossDecay`).
  public var lossDecay: LossDecay
  /// The scale of ΔL: ξ in ΔL = ξ√B (eq. 8) or ξ·B^α, L∞ for the saturating model
  /// (``LossDecay/scale``). Setting it keeps the model and its shape.
  public var lossDecayCoefficient: Double {
    get { lossDecay.scale }
    set { lossDecay = lossDecay.withScale(newValue) }
  }
  /// B^max, the per-device batch ceiling.
  public var maxBatch: Int
  /// T_f^U, the uplink TDMA frame length, seconds.
  public var uplinkFrameSeconds: Double
  /// T_f^D, the downlink TDMA frame length, seconds.
  public var downlinkFrameSeconds: Double
  /// C, CPU cycles to backpropagate one sample (required when any device is a CPU).
  public var cyclesPerSample: Double?
  /// M^C, CPU cycles for one local model update (eq. 12).
  public var updateCycles: Double
  /// M^G, floating-point operations for one model update on a GPU (eq. 28).
  public var updateFlops: Double
  /// Radio parameters for devices given by distance.
  public var channel: Channel
  /// The K ≥ 1 devices.
  public var devices: [Device]

  /// Builds and checks a scenario.
  ///
  /// The loss decay is `lossDecay` when given (then `lossDecayCoefficient` must stay at
  /// its default 1: the model carries its own scale), else the paper's ξ√B with
  /// ξ = `lossDecayCoefficient`.
  ///
  /// - Throws: ``ScenarioError`` naming the first field that is not finite, out of
  ///   range or missing (for example `cyclesPerSample` when a CPU device is present, or
  ///   `lossDecay.exponent` outside (0, 1]).
  public init(
    name: String? = nil, gradientBits: Double, lossDecayCoefficient: Double = 1,
    lossDecay: LossDecay? = nil, maxBatch: Int = 128, uplinkFrameSeconds: Double = 0.01,
    downlinkFrameSeconds: Double = 0.01,
    cyclesPerSample: Double? = nil, updateCycles: Double = 0, updateFlops: Double = 0,
    channel: Channel = Channel(), devices: [Device]
  ) throws {
    self.name = name
    self.gradientBits = try Check.positive(gradientBits, "gradientBits")
    if let lossDecay {
      guard lossDecayCoefficient == 1 else {
        throw ScenarioError(
          field: "lossDecay",
          reason: "give either lossDecay or lossDecayCoefficient, not both (lossDecay carries ξ)")
      }
      try lossDecay.validate()
      self.lossDecay = lossDecay
    } else {
      self.lossDecay = .sqrt(
        coefficient: try Check.positive(lossDecayCoefficient, "lossDecayCoefficient"))
    }
    guard maxBatch >= 1 else {
      throw ScenarioError(field: "maxBatch", reason: "must be an integer >= 1 (got \(maxBatch))")
    }
    self.maxBatch = maxBatch
    self.uplinkFrameSeconds = try Check.positive(uplinkFrameSeconds, "uplinkFrameSeconds")
    self.downlinkFrameSeconds = try Check.positive(downlinkFrameSeconds, "downlinkFrameSeconds")
    if let c = cyclesPerSample { _ = try Check.positive(c, "cyclesPerSample") }
    self.cyclesPerSample = cyclesPerSample
    self.updateCycles = try Check.nonNegative(updateCycles, "updateCycles")
    self.updateFlops = try Check.nonNegative(updateFlops, "updateFlops")
    try channel.validate(prefix: "channel")
    self.channel = channel
    guard !devices.isEmpty else {
      throw ScenarioError(field: "devices", reason: "must hold at least one device (got none)")
    }
    for (k, device) in devices.enumerated() {
      let path = "devices[\(k)]"
      switch device.compute {
      case .cpu(let hz):
        _ = try Check.positive(hz, "\(path).cpuHz")
        guard cyclesPerSample != nil else {
          throw ScenarioError(
            field: "cyclesPerSample", reason: "is required because \(path) is a CPU device")
        }
      case .gpu(let g):
        _ = try Check.nonNegative(g.baseSeconds, "\(path).gpu.baseSeconds")
        _ = try Check.positive(g.secondsPerSample, "\(path).gpu.secondsPerSample")
        guard g.thresholdBatch >= 1, g.thresholdBatch <= maxBatch else {
          throw ScenarioError(
            field: "\(path).gpu.thresholdBatch",
            reason: "must be an integer in 1...maxBatch = 1...\(maxBatch) (got \(g.thresholdBatch))"
          )
        }
        _ = try Check.positive(g.flops, "\(path).gpu.flops")
      }
      switch device.link {
      case .rates(let up, let down):
        _ = try Check.positive(up, "\(path).uplinkBps")
        _ = try Check.positive(down, "\(path).downlinkBps")
      case .distance(let d):
        _ = try Check.positive(d, "\(path).distanceMeters")
      }
    }
    self.devices = devices
    // The derived per-device data must be finite and positive too (e.g. a rate that
    // underflows to 0 at a huge distance, or s/R overflowing), and in the supported range.
    try SupportedRange.check(SystemData(self), scenario: self)
  }

  /// K, the number of devices.
  public var deviceCount: Int { devices.count }

  /// The average uplink and downlink rates (R_k^U, R_k^D) of device `k`, in bit/s:
  /// given directly, or from the channel model of eqs. (5)–(6).
  public func rates(of k: Int) -> (uplink: Double, downlink: Double) {
    switch devices[k].link {
    case .rates(let up, let down): return (up, down)
    case .distance(let d):
      return (channel.uplinkRate(distanceMeters: d), channel.downlinkRate(distanceMeters: d))
    }
  }
}
