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
  public let baseSeconds: Double
  /// c_k, the extra latency per sample beyond the threshold, seconds (> 0).
  public let secondsPerSample: Double
  /// B_k^th, the largest batch processed in one parallel pass (integer, 1 ≤ B_k^th ≤ B^max).
  public let thresholdBatch: Int
  /// f_k^G, floating-point operations per second, for the model update (eq. 28).
  public let flops: Double

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
  public let compute: Compute
  /// Rates, or distance for the channel model.
  public let link: Link

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
/// Its fields cannot be assigned: a changed scenario is derived with ``with(_:)``
/// (or built from its ``parameters``), which checks it again.
public struct Scenario: Sendable, Equatable {
  /// Free text.
  public let name: String?
  /// s = b·p, the size of one quantized gradient in bits.
  public let gradientBits: Double
  /// The loss-decay model ΔL(B) (eq. 8 generalized; the scenario key `lossDecay`).
  public let lossDecay: LossDecay
  /// The scale of ΔL: ξ in ΔL = ξ√B (eq. 8) or ξ·B^α, L∞ for the saturating model
  /// (``LossDecay/scale``). To change it, derive a scenario with
  /// `with { $0.lossDecay = $0.lossDecay.withScale(ξ) }`.
  public var lossDecayCoefficient: Double { lossDecay.scale }
  /// B^max, the per-device batch ceiling.
  public let maxBatch: Int
  /// T_f^U, the uplink TDMA frame length, seconds.
  public let uplinkFrameSeconds: Double
  /// T_f^D, the downlink TDMA frame length, seconds.
  public let downlinkFrameSeconds: Double
  /// C, CPU cycles to backpropagate one sample (required when any device is a CPU).
  public let cyclesPerSample: Double?
  /// M^C, CPU cycles for one local model update (eq. 12).
  public let updateCycles: Double
  /// M^G, floating-point operations for one model update on a GPU (eq. 28).
  public let updateFlops: Double
  /// Radio parameters for devices given by distance.
  public let channel: Channel
  /// The K ≥ 1 devices.
  public let devices: [Device]

  /// The fields of a scenario as plain, unchecked values: what ``Scenario/init(_:)``
  /// checks and ``Scenario/with(_:)`` hands to its closure.
  ///
  /// A `Parameters` value may hold anything (an empty fleet, a NaN frame length); only a
  /// ``Scenario`` built from it is known to be valid.
  public struct Parameters: Sendable, Equatable {
    /// Free text.
    public var name: String?
    /// s = b·p, bits (finite, > 0).
    public var gradientBits: Double
    /// ΔL(B) (checked when the scenario is built).
    public var lossDecay: LossDecay
    /// B^max (≥ 1).
    public var maxBatch: Int
    /// T_f^U, seconds (finite, > 0).
    public var uplinkFrameSeconds: Double
    /// T_f^D, seconds (finite, > 0).
    public var downlinkFrameSeconds: Double
    /// C, cycles per sample (finite, > 0; required when a device is a CPU).
    public var cyclesPerSample: Double?
    /// M^C, cycles (finite, ≥ 0).
    public var updateCycles: Double
    /// M^G, FLOP (finite, ≥ 0).
    public var updateFlops: Double
    /// Radio parameters (checked by the scenario).
    public var channel: Channel
    /// The devices (at least one).
    public var devices: [Device]

    /// Collects the fields of a scenario without checking them; the defaults are those of
    /// ``Scenario/init(name:gradientBits:lossDecayCoefficient:lossDecay:maxBatch:uplinkFrameSeconds:downlinkFrameSeconds:cyclesPerSample:updateCycles:updateFlops:channel:devices:)``.
    public init(
      name: String? = nil, gradientBits: Double, lossDecay: LossDecay = .paper,
      maxBatch: Int = 128, uplinkFrameSeconds: Double = 0.01, downlinkFrameSeconds: Double = 0.01,
      cyclesPerSample: Double? = nil, updateCycles: Double = 0, updateFlops: Double = 0,
      channel: Channel = Channel(), devices: [Device]
    ) {
      self.name = name
      self.gradientBits = gradientBits
      self.lossDecay = lossDecay
      self.maxBatch = maxBatch
      self.uplinkFrameSeconds = uplinkFrameSeconds
      self.downlinkFrameSeconds = downlinkFrameSeconds
      self.cyclesPerSample = cyclesPerSample
      self.updateCycles = updateCycles
      self.updateFlops = updateFlops
      self.channel = channel
      self.devices = devices
    }
  }

  /// The scenario's fields as plain values (``Scenario/init(_:)`` rebuilds the scenario).
  public var parameters: Parameters {
    Parameters(
      name: name, gradientBits: gradientBits, lossDecay: lossDecay, maxBatch: maxBatch,
      uplinkFrameSeconds: uplinkFrameSeconds, downlinkFrameSeconds: downlinkFrameSeconds,
      cyclesPerSample: cyclesPerSample, updateCycles: updateCycles, updateFlops: updateFlops,
      channel: channel, devices: devices)
  }

  /// A scenario like this one with `change` applied to its ``parameters``, checked again.
  ///
  ///     let wider = try scenario.with { $0.maxBatch = 256 }
  ///
  /// - Throws: ``ScenarioError`` naming the first field of the changed scenario that is
  ///   not finite, out of range or missing (as ``Scenario/init(_:)``), or any error
  ///   `change` throws.
  public func with(_ change: (inout Parameters) throws -> Void) throws -> Scenario {
    var p = parameters
    try change(&p)
    return try Scenario(p)
  }

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
    let decay: LossDecay
    if let lossDecay {
      guard lossDecayCoefficient == 1 else {
        throw ScenarioError(
          field: "lossDecay",
          reason: "give either lossDecay or lossDecayCoefficient, not both (lossDecay carries ξ)")
      }
      decay = lossDecay
    } else {
      decay = .sqrt(coefficient: try Check.positive(lossDecayCoefficient, "lossDecayCoefficient"))
    }
    try self.init(
      Parameters(
        name: name, gradientBits: gradientBits, lossDecay: decay, maxBatch: maxBatch,
        uplinkFrameSeconds: uplinkFrameSeconds, downlinkFrameSeconds: downlinkFrameSeconds,
        cyclesPerSample: cyclesPerSample, updateCycles: updateCycles, updateFlops: updateFlops,
        channel: channel, devices: devices))
  }

  /// Builds and checks a scenario from plain ``Parameters``.
  ///
  /// - Throws: ``ScenarioError`` naming the first field that is not finite, out of
  ///   range or missing (fields are named as in the scenario file: `gradientBits`,
  ///   `devices[3].cpuHz`, `lossDecay.exponent`, …); also when a derived per-device
  ///   quantity is not finite and positive, or outside ``SupportedRange``.
  /// - Complexity: O(K).
  public init(_ p: Parameters) throws {
    self.name = p.name
    self.gradientBits = try Check.positive(p.gradientBits, "gradientBits")
    try p.lossDecay.validate()
    self.lossDecay = p.lossDecay
    let maxBatch = p.maxBatch
    guard maxBatch >= 1 else {
      throw ScenarioError(field: "maxBatch", reason: "must be an integer >= 1 (got \(maxBatch))")
    }
    self.maxBatch = maxBatch
    self.uplinkFrameSeconds = try Check.positive(p.uplinkFrameSeconds, "uplinkFrameSeconds")
    self.downlinkFrameSeconds = try Check.positive(p.downlinkFrameSeconds, "downlinkFrameSeconds")
    if let c = p.cyclesPerSample { _ = try Check.positive(c, "cyclesPerSample") }
    self.cyclesPerSample = p.cyclesPerSample
    self.updateCycles = try Check.nonNegative(p.updateCycles, "updateCycles")
    self.updateFlops = try Check.nonNegative(p.updateFlops, "updateFlops")
    try p.channel.validate(prefix: "channel")
    self.channel = p.channel
    guard !p.devices.isEmpty else {
      throw ScenarioError(field: "devices", reason: "must hold at least one device (got none)")
    }
    for (k, device) in p.devices.enumerated() {
      let path = "devices[\(k)]"
      switch device.compute {
      case .cpu(let hz):
        _ = try Check.positive(hz, "\(path).cpuHz")
        guard p.cyclesPerSample != nil else {
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
    self.devices = p.devices
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
