import FEEL

/// Random FEEL instances for the paper-claim and property suites (Proofs/), drawn from a
/// ``SeededGenerator`` so that every instance is reproducible from its seed and index.
///
/// The generator balances computation against communication: per instance it draws a
/// time scale S, then every device gets an upload time a_k = s/R_k^U and a full-batch
/// compute time B^max·C/f_k within a factor `spread` of S (log-uniform). With a small
/// spread most devices are interior in Theorem 1 (1 < B_k* < B^max); with a large one the
/// clipped regimes and the extreme scales are reached too.
public enum PaperInstances {
  /// The knobs of ``cpuScenario(devices:spread:scale:using:)`` and
  /// ``mixedScenario(devices:gpuShare:spread:using:)``.
  public struct Knobs: Sendable {
    /// Per-device latencies lie within a factor `spread` of the instance's time scale.
    public var spread: Double
    /// The instance's time scale S in seconds is log-uniform in this range.
    public var scale: ClosedRange<Double>
    /// B^max is uniform in this range.
    public var maxBatch: ClosedRange<Int>
    /// Default knobs: spread 10, S in 1e-3 ... 1e2 s, B^max in 2 ... 256.
    public init(
      spread: Double = 10, scale: ClosedRange<Double> = 1e-3...1e2,
      maxBatch: ClosedRange<Int> = 2...256
    ) {
      self.spread = spread
      self.scale = scale
      self.maxBatch = maxBatch
    }
  }

  /// A random CPU fleet of `devices` devices (all rates given, so no channel model).
  ///
  /// - Throws: ``ScenarioError`` only if a drawn value overflows (it does not for the
  ///   default knobs).
  public static func cpuScenario(
    devices K: Int, knobs: Knobs = Knobs(), using g: inout SeededGenerator
  ) throws -> Scenario {
    let S = g.logUniform(knobs.scale)
    let maxBatch = g.int(in: knobs.maxBatch)
    let s = g.logUniform(1e4...1e9)
    let C = g.logUniform(1e4...1e8)
    let spread = knobs.spread
    var devices = [Device]()
    for _ in 0..<K {
      let upload = S * g.logUniform((1 / spread)...spread) / Double(K)
      let compute = S * g.logUniform((1 / spread)...spread)
      let download = S * g.logUniform((1 / spread)...spread) / Double(K)
      let hz = C * Double(maxBatch) / compute
      devices.append(
        Device(
          compute: .cpu(hz: hz), link: .rates(uplinkBps: s / upload, downlinkBps: s / download))
      )
    }
    return try Scenario(
      gradientBits: s, lossDecayCoefficient: g.logUniform(0.1...10), maxBatch: maxBatch,
      uplinkFrameSeconds: g.logUniform(1e-3...0.1), downlinkFrameSeconds: g.logUniform(1e-3...0.1),
      cyclesPerSample: C, updateCycles: g.bool() ? 0 : C * g.logUniform(0.1...10),
      devices: devices)
  }

  /// A random CPU fleet with K uniform in `devices`.
  public static func cpuScenario(
    deviceRange: ClosedRange<Int> = 1...12, knobs: Knobs = Knobs(),
    using g: inout SeededGenerator
  ) throws -> Scenario {
    try cpuScenario(devices: g.int(in: deviceRange), knobs: knobs, using: &g)
  }

  /// A random fleet mixing CPUs and GPUs (each device a GPU with probability `gpuShare`);
  /// GPUs follow eq. (27) with a random threshold B_k^th in 1 ... B^max.
  public static func mixedScenario(
    devices K: Int, gpuShare: Double = 0.5, knobs: Knobs = Knobs(),
    using g: inout SeededGenerator
  ) throws -> Scenario {
    let S = g.logUniform(knobs.scale)
    let maxBatch = g.int(in: knobs.maxBatch)
    let s = g.logUniform(1e4...1e9)
    let C = g.logUniform(1e4...1e8)
    let spread = knobs.spread
    var devices = [Device]()
    for _ in 0..<K {
      let upload = S * g.logUniform((1 / spread)...spread) / Double(K)
      let compute = S * g.logUniform((1 / spread)...spread)
      let download = S * g.logUniform((1 / spread)...spread) / Double(K)
      let link = Link.rates(uplinkBps: s / upload, downlinkBps: s / download)
      if g.uniform(0...1) < gpuShare {
        let th = g.int(in: 1...maxBatch)
        let slope = compute / Double(maxBatch) * g.uniform(0.2...1)
        let base = slope * Double(th) * g.uniform(0.5...2)
        let profile = GPUProfile(
          baseSeconds: base, secondsPerSample: slope, thresholdBatch: th,
          flops: g.logUniform(1e9...1e13))
        devices.append(Device(compute: .gpu(profile), link: link))
      } else {
        devices.append(Device(compute: .cpu(hz: C * Double(maxBatch) / compute), link: link))
      }
    }
    return try Scenario(
      gradientBits: s, lossDecayCoefficient: g.logUniform(0.1...10), maxBatch: maxBatch,
      cyclesPerSample: C, updateCycles: C * g.logUniform(0.1...10),
      updateFlops: g.logUniform(1e6...1e10), devices: devices)
  }

  /// A random fleet with K uniform in `devices` (drawn first): mixed CPUs and GPUs
  /// (``mixedScenario(devices:gpuShare:knobs:using:)``) when `mixed`, else CPUs only
  /// (``cpuScenario(devices:knobs:using:)``).
  public static func scenario(
    mixed: Bool, devices: ClosedRange<Int>, knobs: Knobs = Knobs(),
    using g: inout SeededGenerator
  ) throws -> Scenario {
    let K = g.int(in: devices)
    return mixed
      ? try mixedScenario(devices: K, knobs: knobs, using: &g)
      : try cpuScenario(devices: K, knobs: knobs, using: &g)
  }

  /// A global batch uniform in Σ ℓ_k ... Σ u_k (the range of the affine model, P4/P7).
  public static func globalBatch(for data: SystemData, using g: inout SeededGenerator) -> Double {
    let lo = data.affineMinimumBatch
    let hi = data.maximumGlobalBatch
    return hi > lo ? g.uniform(lo...hi) : lo
  }

  /// `scenario` with its devices reordered: device i of the result is device
  /// `order[i]` of `scenario`.
  public static func permuted(_ scenario: Scenario, order: [Int]) throws -> Scenario {
    try scenario.with { $0.devices = order.map { scenario.devices[$0] } }
  }

  /// `scenario` re-expressed with time in units of `time` seconds and data in units of
  /// `bits` bits (e.g. 1e-3 and 1e3 for milliseconds and kilobits): every duration is
  /// divided by `time`, every rate (bit/s, cycles/s, FLOP/s) multiplied by it, every
  /// bit count divided by `bits`. The optimal policy must not change; every latency
  /// scales by 1/`time` and the efficiency by `time`.
  public static func rescaled(_ scenario: Scenario, time: Double, bits: Double) throws -> Scenario {
    var c = scenario.parameters
    c.gradientBits = scenario.gradientBits / bits
    c.uplinkFrameSeconds = scenario.uplinkFrameSeconds / time
    c.downlinkFrameSeconds = scenario.downlinkFrameSeconds / time
    c.devices = scenario.devices.map { device in
      var compute = device.compute
      var link = device.link
      switch device.compute {
      case .cpu(let hz): compute = .cpu(hz: hz * time)
      case .gpu(let p):
        compute = .gpu(
          GPUProfile(
            baseSeconds: p.baseSeconds / time, secondsPerSample: p.secondsPerSample / time,
            thresholdBatch: p.thresholdBatch, flops: p.flops * time))
      }
      switch device.link {
      case .rates(let up, let down):
        link = .rates(uplinkBps: up * time / bits, downlinkBps: down * time / bits)
      case .distance: break
      }
      return Device(compute: compute, link: link)
    }
    return try Scenario(c)
  }

  /// Re-runs the checks of ``Scenario/init`` on an edited copy.
  public static func rebuilt(_ s: Scenario) throws -> Scenario {
    try Scenario(s.parameters)
  }

  /// `scenario` with device `j` changed: its CPU (or GPU) `computeSpeedup` times faster and
  /// its uplink and downlink rates multiplied by `uplinkFactor` and `downlinkFactor`.
  public static func withDevice(
    _ scenario: Scenario, _ j: Int, computeSpeedup: Double = 1, uplinkFactor: Double = 1,
    downlinkFactor: Double = 1
  ) throws -> Scenario {
    var c = scenario.parameters
    let d = c.devices[j]
    var compute = d.compute
    var link = d.link
    switch d.compute {
    case .cpu(let hz): compute = .cpu(hz: hz * computeSpeedup)
    case .gpu(let p):
      compute = .gpu(
        GPUProfile(
          baseSeconds: p.baseSeconds / computeSpeedup,
          secondsPerSample: p.secondsPerSample / computeSpeedup, thresholdBatch: p.thresholdBatch,
          flops: p.flops * computeSpeedup))
    }
    if case .rates(let up, let down) = d.link {
      link = .rates(uplinkBps: up * uplinkFactor, downlinkBps: down * downlinkFactor)
    }
    c.devices[j] = Device(compute: compute, link: link)
    return try Scenario(c)
  }

  /// A uniformly random permutation of 0..<n.
  public static func permutation(_ n: Int, using g: inout SeededGenerator) -> [Int] {
    var order = Array(0..<n)
    g.shuffle(&order)
    return order
  }
}
