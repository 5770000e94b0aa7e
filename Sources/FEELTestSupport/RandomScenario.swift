import FEEL

/// The hardware mix of a random scenario from ``randomScenario(_:kind:devices:maxBatch:lossDecay:)``.
public enum RandomScenarioKind: String, Sendable, CaseIterable {
  /// Every device a CPU (problem P1).
  case cpu
  /// Every device a GPU (problems P6 / P7).
  case gpu
  /// CPUs and GPUs together; with K ≥ 2 at least one of each.
  case mixed

  /// 0, 1, 2 for CPU, GPU, mixed: an offset that gives each kind of a property its own seed.
  public var ordinal: UInt64 { UInt64(Self.allCases.firstIndex(of: self) ?? 0) }

  /// The kind of instance `index` of a property that cycles through CPU, GPU and mixed.
  public static func cycling(_ index: Int) -> RandomScenarioKind {
    allCases[index % allCases.count]
  }
}

/// The loss-decay model of a random scenario from ``randomScenario(_:kind:devices:maxBatch:lossDecay:)``.
public enum RandomLossDecayKind: String, Sendable, CaseIterable {
  /// ΔL = ξ√B with ξ log-uniform in 0.1...10 (the paper; the default).
  case sqrt
  /// ΔL = ξ·B^α: ξ as for sqrt; α = 1 one time in eight, 1/2 one in eight, else uniform
  /// in 0.05...1.
  case power
  /// ΔL = L∞·B/(B + B_n): L∞ = ξ as for sqrt; B_n = 0 one time in eight, else log-uniform
  /// in 0.1...1e5.
  case saturating
}

/// A random valid scenario for property tests, drawn from `rng` (reproducible by seed).
///
/// Ranges, log-uniform unless stated (wide on purpose, so that every regime of the
/// solvers is hit: all devices at 1, all at B^max, data-bound GPUs, ties):
/// - K uniform in `devices`; B^max uniform in `maxBatch` (default 1...512: 1 and small
///   values included);
/// - s in 1e4...1e8 bits; ξ in 0.1...10; T_f^U, T_f^D in 1e-3...0.1 s;
/// - links: rates R^U, R^D in 1e5...1e9 bit/s, or (one scenario in four) distances
///   uniform in 10...500 m through the default channel of Table I;
/// - CPU: f in 1e8...5e9 Hz, C in 1e4...1e8 cycles/sample, M^C 0 (one in three) or
///   1e5...1e9 cycles;
/// - GPU: t^ℓ in 1e-4...1 s (0 once in ten), c in 1e-6...1e-1 s/sample, B^th uniform in
///   1...B^max, f^G in 1e11...1e14 FLOP/s, M^G 0 (one in three) or 1e6...1e12 FLOP.
///
/// - Parameters:
///   - rng: the seeded generator; the same seed gives the same scenario.
///   - kind: CPU, GPU or mixed.
///   - devices: the range of K (lower bound ≥ 1).
///   - maxBatch: the range of B^max (lower bound ≥ 1); GPU thresholds lie in 1...B^max.
///   - lossDecay: the loss-decay model; its parameters are drawn after every other
///     value, so a seed gives the same fleet under every model (and, with `.sqrt`, the
///     same scenario as before the knob existed).
/// - Returns: a scenario that passed ``Scenario`` validation.
public func randomScenario(
  _ rng: inout SeededGenerator, kind: RandomScenarioKind, devices: ClosedRange<Int>,
  maxBatch batchRange: ClosedRange<Int> = 1...512, lossDecay model: RandomLossDecayKind = .sqrt
) -> Scenario {
  let K = rng.int(in: Swift.max(1, devices.lowerBound)...Swift.max(1, devices.upperBound))
  let maxBatch = rng.int(
    in: Swift.max(1, batchRange.lowerBound)...Swift.max(1, batchRange.upperBound))
  let byDistance = rng.int(in: 0..<4) == 0
  var gpus = [Bool](repeating: kind == .gpu, count: K)
  if kind == .mixed {
    for k in 0..<K { gpus[k] = rng.bool() }
    if K >= 2 {
      let forcedGPU = rng.int(in: 0..<K)
      var forcedCPU = rng.int(in: 0..<(K - 1))
      if forcedCPU >= forcedGPU { forcedCPU += 1 }
      gpus[forcedGPU] = true
      gpus[forcedCPU] = false
    }
  }
  var list: [Device] = []
  for k in 0..<K {
    let compute: Compute
    if gpus[k] {
      let base = rng.int(in: 0..<10) == 0 ? 0 : rng.logUniform(1e-4...1)
      compute = .gpu(
        GPUProfile(
          baseSeconds: base, secondsPerSample: rng.logUniform(1e-6...1e-1),
          thresholdBatch: rng.int(in: 1...maxBatch),
          flops: rng.logUniform(1e11...1e14)))
    } else {
      compute = .cpu(hz: rng.logUniform(1e8...5e9))
    }
    let link: Link =
      byDistance
      ? .distance(meters: rng.uniform(10...500))
      : .rates(uplinkBps: rng.logUniform(1e5...1e9), downlinkBps: rng.logUniform(1e5...1e9))
    list.append(Device(compute: compute, link: link))
  }
  let hasCPU = gpus.contains(false)
  let updateCycles = rng.int(in: 0..<3) == 0 ? 0 : rng.logUniform(1e5...1e9)
  let updateFlops = rng.int(in: 0..<3) == 0 ? 0 : rng.logUniform(1e6...1e12)
  let name = "random \(kind.rawValue) seed \(rng.seed)"
  let bits = rng.logUniform(1e4...1e8)
  let xi = rng.logUniform(0.1...10)
  let upFrame = rng.logUniform(1e-3...0.1)
  let downFrame = rng.logUniform(1e-3...0.1)
  let cycles = hasCPU ? rng.logUniform(1e4...1e8) : nil
  let decay: LossDecay
  switch model {
  case .sqrt: decay = .sqrt(coefficient: xi)
  case .power:
    let pick = rng.int(in: 0..<8)
    let alpha = pick == 0 ? 1 : pick == 1 ? 0.5 : rng.uniform(0.05...1)
    decay = .power(coefficient: xi, exponent: alpha)
  case .saturating:
    let noise = rng.int(in: 0..<8) == 0 ? 0 : rng.logUniform(0.1...1e5)
    decay = .saturating(maxDecrease: xi, noiseBatch: noise)
  }
  do {
    return try Scenario(
      name: name + (model == .sqrt ? "" : " \(model.rawValue)"), gradientBits: bits,
      lossDecay: decay, maxBatch: maxBatch, uplinkFrameSeconds: upFrame,
      downlinkFrameSeconds: downFrame, cyclesPerSample: cycles, updateCycles: updateCycles,
      updateFlops: updateFlops, devices: list)
  } catch {
    fatalError("randomScenario produced an invalid scenario (seed \(rng.seed)): \(error)")
  }
}
