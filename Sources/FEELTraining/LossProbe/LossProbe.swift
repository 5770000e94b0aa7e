import FEEL
import FEELStudies
import Foundation

/// The settings of the loss-decay probe (see ``LossProbe``). Every count is validated by
/// ``validate()``, whose errors name the option as `feel fit-loss` spells it.
public struct LossProbeOptions: Sendable, Equatable {
  /// Hidden width H of the MLP 784-H-10.
  public var hidden = 128
  /// B₀: the batch of the reference run, and the batch at which η = η₀.
  public var baseBatch = 64
  /// η₀: the learning rate at B₀; a step at batch B uses η₀·√(B/B₀) (Sec. III-A). The
  /// default 0.01 keeps every step of the grid (η up to 0.08 at B = 4096) below the
  /// stability limit of the checkpoints; with η₀ = 0.05 a step beyond B ≈ 128 raises the
  /// loss (see the DocC article on measuring the loss decay).
  public var baseLearningRate = 0.01
  /// Steps of the reference run after which the probe measures (increasing).
  public var checkpoints = [100, 300, 1000]
  /// Independent reference runs (seeded initializations and batch draws) whose checkpoints
  /// are all probed and pooled: the trajectory, not only the batch draw, varies ΔL.
  public var referenceRuns = 3
  /// The grid of global batches B of the probe steps.
  public var batches = [8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096]
  /// Probe steps per checkpoint and batch (independent batch draws).
  public var repeats = 20
  /// Size of the fixed evaluation subset of the training set on which ΔL is measured.
  public var evaluationSize = 4096
  /// Bootstrap resamples for the intervals (0: none).
  public var bootstrap = 1000
  /// The seed of everything random (initial model, batches, evaluation subset, bootstrap).
  public var seed: UInt64 = 1
  /// Batches of the fixed-B runs for rounds-to-target S(B) (empty: skip that measure).
  public var roundsBatches = [16, 64, 256, 1024, 4096]
  /// Independent fixed-B runs per batch.
  public var roundsSeeds = 2
  /// The target loss of S(B); nil: the reference runs' mean loss at their last checkpoint.
  public var targetLoss: Double? = nil
  /// The most steps of a fixed-B run (a run that does not reach the target is reported as
  /// not reaching it and left out of the S fits).
  public var maxRounds = 20_000

  /// The defaults: MLP 784-128-10, B₀ = 64, η₀ = 0.01, three reference runs with
  /// checkpoints 100, 300, 1000, B = 8 … 4096, 20 repeats, 4096 evaluation images, 1000
  /// bootstrap resamples.
  public init() {}

  /// A small setting for smoke tests and CI (seconds, not minutes): H = 32, one reference
  /// run with checkpoints 50 and 150, B = 8 … 1024, 6 repeats, 1024 evaluation images, 200 resamples, S(B) at 32,
  /// 128 and 512 with one run each.
  public static var quick: LossProbeOptions {
    var o = LossProbeOptions()
    o.hidden = 32
    o.checkpoints = [50, 150]
    o.referenceRuns = 1
    o.batches = [8, 16, 32, 64, 128, 256, 512, 1024]
    o.repeats = 6
    o.evaluationSize = 1024
    o.bootstrap = 200
    o.roundsBatches = [32, 128, 512]
    o.roundsSeeds = 1
    o.maxRounds = 5_000
    return o
  }

  /// Checks every setting.
  ///
  /// - Throws: ``LossProbeError/invalidOption(_:_:)`` naming the option (`repeats`, …).
  public func validate() throws(LossProbeError) {
    func need(_ ok: Bool, _ option: String, _ reason: String) throws(LossProbeError) {
      if !ok { throw .invalidOption(option, reason) }
    }
    try need(hidden >= 1, "hidden", "must be an integer >= 1 (got \(hidden))")
    try need(baseBatch >= 1, "baseBatch", "must be an integer >= 1 (got \(baseBatch))")
    try need(
      baseLearningRate.isFinite && baseLearningRate > 0, "learningRate",
      "must be a finite number > 0 (got \(baseLearningRate))")
    try need(!checkpoints.isEmpty, "checkpoints", "needs at least one step")
    try need(
      checkpoints.allSatisfy { $0 >= 0 }
        && zip(checkpoints, checkpoints.dropFirst()).allSatisfy { $0 < $1 },
      "checkpoints", "must be increasing integers >= 0 (got \(checkpoints))")
    try need(
      referenceRuns >= 1, "referenceRuns", "must be an integer >= 1 (got \(referenceRuns))")
    try need(
      Set(batches).count >= 3 && batches.allSatisfy { $0 >= 1 }, "batches",
      "needs at least three distinct integers >= 1 (got \(batches))")
    try need(repeats >= 1, "repeats", "must be an integer >= 1 (got \(repeats))")
    try need(
      evaluationSize >= 1, "evaluationSize", "must be an integer >= 1 (got \(evaluationSize))")
    try need(bootstrap >= 0, "bootstrap", "must be an integer >= 0 (got \(bootstrap))")
    try need(
      roundsBatches.isEmpty
        || (Set(roundsBatches).count >= 3 && roundsBatches.allSatisfy { $0 >= 1 }),
      "roundsBatches", "needs at least three distinct integers >= 1 (got \(roundsBatches))")
    try need(roundsSeeds >= 1, "roundsSeeds", "must be an integer >= 1 (got \(roundsSeeds))")
    if let target = targetLoss {
      try need(
        target.isFinite && target > 0, "targetLoss",
        "must be a finite number > 0 (got \(target))")
    }
    try need(maxRounds >= 1, "maxRounds", "must be an integer >= 1 (got \(maxRounds))")
  }
}

/// Why the probe could not run.
public enum LossProbeError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A setting out of range: the option (as `feel fit-loss` spells it) and why.
  case invalidOption(String, String)
  /// The data set does not fit the setting (e.g. fewer images than a batch).
  case data(String)

  /// One line naming the option or the problem.
  public var description: String {
    switch self {
    case .invalidOption(let option, let reason): return "\(option): \(reason)"
    case .data(let detail): return detail
    }
  }
}

/// One checkpoint of a reference run.
public struct ProbeCheckpoint: Sendable, Equatable {
  /// The reference run (0 ..< `referenceRuns`).
  public var run: Int
  /// Steps of the reference run before it.
  public var step: Int
  /// The loss on the evaluation subset there.
  public var loss: Double
  /// The unconstrained log-log slope of the mean ΔL of this checkpoint alone (nil when
  /// fewer than three batches have a positive mean).
  public var exponent: Double?
}

/// Rounds to a target loss S(B) of fixed-batch runs.
public struct RoundsToTarget: Sendable, Equatable {
  /// The target loss on the evaluation subset.
  public var targetLoss: Double
  /// The batches.
  public var batches: [Int]
  /// Rounds of each run (`runs[b][s]`; nil: not reached within the cap), interpolated
  /// between evaluations.
  public var runs: [[Double?]]
  /// Mean rounds over the runs that reached the target (nil when none did).
  public var meanRounds: [Double?]
  /// Fits to 1/S(B) (power: S ∝ B^(−α), the √B model predicts α = 1/2; saturating:
  /// S = S_min·(1 + B_n/B), with S_min = 1/L∞); nil with fewer than three batches reached.
  public var fits: LossDecayFits?
}

/// The whole probe: the measurements and both fits.
public struct LossProbeResult: Sendable, Equatable {
  /// The settings it ran with.
  public var options: LossProbeOptions
  /// The checkpoints of the reference runs, run by run.
  public var checkpoints: [ProbeCheckpoint]
  /// ΔL samples, `decreases[c][b][r]` for checkpoint c (of ``checkpoints``), batch
  /// `options.batches[b]`, repeat r.
  public var decreases: [[[Double]]]
  /// Mean over repeats of each repeat's ΔL averaged over the checkpoints, per batch: the
  /// per-round decrease averaged over the stretch of training the checkpoints span.
  public var means: [Double]
  /// Standard error of each of ``means`` (over the repeats).
  public var standardErrors: [Double]
  /// The fits to those means (nil when they cannot be made: ``fitFailure`` says why).
  public var fits: LossDecayFits?
  /// Why there is no fit (fewer than three batches with a positive mean decrease).
  public var fitFailure: LossFitError?
  /// S(B), when `options.roundsBatches` is not empty.
  public var rounds: RoundsToTarget?
}

/// The loss-decay probe: measures ΔL(B), the decrease of the training loss in one
/// aggregated SGD step of global batch B, on real training, and fits the `lossDecay`
/// models to it (a direct test of the paper's eq. 8, ΔL = ξ√B with η ∝ √B).
///
/// Protocol:
/// 1. Reference runs: plain minibatch SGD of the MLP 784-H-10 from seeded
///    initializations, batch B₀ (drawn without replacement each step), learning rate η₀;
///    the model is kept at each checkpoint step of each run.
/// 2. From each checkpoint θ_c and for each B of the grid, `repeats` times: draw B
///    training images without replacement, take one step θ' = θ_c − η₀√(B/B₀)·∇L_B(θ_c),
///    and record ΔL = L(θ_c) − L(θ') on a fixed evaluation subset of the training set
///    (the same subset throughout, so that ΔL varies only with the batch drawn).
/// 3. Fit ΔL = ξ·B^α and ΔL = L∞·B/(B + B_n) to the means over checkpoints
///    (``LossDecayFitting``), with bootstrap intervals over the repeats.
/// 4. The second measure: from the first run's initialization, fixed-B runs with η₀√(B/B₀)
///    until the evaluation loss reaches the target; S(B) is fitted the same way through
///    1/S (S ∝ B^(−1/2) under eq. 8; S = S_min(1 + B_n/B) under the noise-scale model).
///
/// Every random draw comes from ``TrainingRandom`` seeded by `options.seed` and the task's
/// indices, so a run is reproducible on one machine whatever the thread schedule.
public enum LossProbe {
  /// Runs the protocol on `data` (the training set); `progress(done, total)` is called
  /// after each finished task (from worker threads).
  ///
  /// - Throws: ``LossProbeError``.
  /// - Complexity: about (Σ checkpoints + repeats·|checkpoints|·(Σ B + |B|·evaluationSize)
  ///   + Σ rounds·B) · 4·784·H multiply-adds.
  public static func run(
    on data: LabeledImages, options: LossProbeOptions,
    progress: (@Sendable (Int, Int) -> Void)? = nil
  ) throws(LossProbeError) -> LossProbeResult {
    try options.validate()
    let largest = max(
      options.batches.max() ?? 1, options.baseBatch, options.roundsBatches.max() ?? 1)
    guard data.count >= largest else {
      throw .data("the training set has \(data.count) images, fewer than the batch \(largest)")
    }
    let classes = max(data.classCount, 2)
    let evaluation = evaluationIndices(
      count: data.count, size: options.evaluationSize, seed: options.seed)
    let initial = MLP(
      inputs: data.featureCount, hidden: options.hidden, classes: classes, seed: options.seed)

    // 1. Reference runs (run 0 from `initial`; the others from their own seeded models).
    var saved: [(run: Int, step: Int, model: MLP, loss: Double)] = []
    for run in 0..<options.referenceRuns {
      var model =
        run == 0
        ? initial
        : MLP(
          inputs: data.featureCount, hidden: options.hidden, classes: classes,
          seed: mix(options.seed, 0x12, UInt64(run), 0))
      let workspace = MLPWorkspace(model: model, maxBatch: 1024)
      var sampler = BatchSampler(
        count: data.count,
        seed: run == 0 ? options.seed ^ 0x5EF : mix(options.seed, 0x13, UInt64(run), 0))
      var gradient: [Float] = []
      var step = 0
      for target in options.checkpoints {
        while step < target {
          let batch = sampler.draw(options.baseBatch)
          _ = model.lossAndGradient(
            on: data, indices: batch, gradient: &gradient, workspace: workspace)
          model.apply(gradient: gradient, learningRate: Float(options.baseLearningRate))
          step += 1
        }
        saved.append(
          (
            run, step, model,
            model.evaluate(on: data, indices: evaluation, workspace: workspace).loss
          ))
      }
    }

    // 2. Probe steps: one task per (checkpoint, repeat).
    let kept = saved
    let checkpointCount = kept.count
    let repeats = options.repeats
    let roundsTasks = options.roundsBatches.count * options.roundsSeeds
    let total = checkpointCount * repeats + roundsTasks
    let counter = Counter()
    let probeResults = ParallelMap.run(count: checkpointCount * repeats) { task -> [Double] in
      let c = task / repeats
      let r = task % repeats
      let start = kept[c]
      let ws = MLPWorkspace(model: start.model, maxBatch: 1024)
      var sampler = BatchSampler(
        count: data.count, seed: mix(options.seed, 0xB0, UInt64(c), UInt64(r)))
      var gradient: [Float] = []
      var decreases: [Double] = []
      for b in options.batches {
        let batch = sampler.draw(b)
        _ = start.model.lossAndGradient(
          on: data, indices: batch, gradient: &gradient, workspace: ws)
        var next = start.model
        next.apply(gradient: gradient, learningRate: learningRate(b, options))
        decreases.append(
          start.loss - next.evaluate(on: data, indices: evaluation, workspace: ws).loss)
      }
      progress?(counter.increment(), total)
      return decreases
    }
    var decreases = [[[Double]]](
      repeating: [[Double]](repeating: [], count: options.batches.count), count: checkpointCount)
    for (task, result) in probeResults.enumerated() {
      guard case .success(let values) = result else { continue }
      for b in values.indices { decreases[task / repeats][b].append(values[b]) }
    }
    // Each repeat's ΔL averaged over the checkpoints.
    let pooled = options.batches.indices.map { b in
      (0..<repeats).map { r in
        (0..<checkpointCount).reduce(0.0) { $0 + decreases[$1][b][r] } / Double(checkpointCount)
      }
    }
    var fits: LossDecayFits? = nil
    var fitFailure: LossFitError? = nil
    do {
      fits = try LossDecayFitting.fit(
        batches: options.batches, samples: pooled, bootstrap: options.bootstrap,
        seed: options.seed ^ 0xB007)
    } catch {
      fitFailure = error
    }
    let means = pooled.map { $0.reduce(0, +) / Double($0.count) }
    let standardErrors = zip(pooled, means).map { values, mean -> Double in
      guard values.count > 1 else { return .nan }
      let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
      return (squares / Double(values.count - 1) / Double(values.count)).squareRoot()
    }
    let checkpoints = saved.indices.map { c in
      ProbeCheckpoint(
        run: saved[c].run, step: saved[c].step, loss: saved[c].loss,
        exponent: (try? LossDecayFitting.fit(
          batches: options.batches, samples: decreases[c], bootstrap: 0))?.power
          .unconstrainedExponent)
    }

    // 4. Rounds to target.
    var rounds: RoundsToTarget? = nil
    if !options.roundsBatches.isEmpty {
      // Default target: the mean over the reference runs of the loss at the last checkpoint.
      let finals = saved.filter { $0.step == options.checkpoints.last! }.map(\.loss)
      let target = options.targetLoss ?? finals.reduce(0, +) / Double(finals.count)
      let seeds = options.roundsSeeds
      let runs = ParallelMap.run(count: roundsTasks) { task -> Double? in
        let b = options.roundsBatches[task / seeds]
        let s = task % seeds
        let result = roundsToTarget(
          data: data, initial: initial, batch: b, options: options, target: target,
          evaluation: evaluation, seed: mix(options.seed, 0x5B, UInt64(b), UInt64(s)))
        progress?(counter.increment(), total)
        return result
      }
      let table = options.roundsBatches.indices.map { b in
        (0..<seeds).map { s -> Double? in
          if case .success(let v) = runs[b * seeds + s] { return v }
          return nil
        }
      }
      let means = table.map { row -> Double? in
        let reached = row.compactMap { $0 }
        return reached.isEmpty ? nil : reached.reduce(0, +) / Double(reached.count)
      }
      let reachedIndices = options.roundsBatches.indices.filter { means[$0] != nil }
      let sFits = try? LossDecayFitting.fit(
        batches: reachedIndices.map { options.roundsBatches[$0] },
        samples: reachedIndices.map { table[$0].compactMap { $0.map { 1 / $0 } } },
        bootstrap: options.bootstrap, seed: options.seed ^ 0x5F17)
      rounds = RoundsToTarget(
        targetLoss: target, batches: options.roundsBatches, runs: table, meanRounds: means,
        fits: sFits)
    }
    return LossProbeResult(
      options: options, checkpoints: checkpoints, decreases: decreases, means: means,
      standardErrors: standardErrors, fits: fits, fitFailure: fitFailure, rounds: rounds)
  }

  /// η₀·√(B/B₀).
  static func learningRate(_ batch: Int, _ options: LossProbeOptions) -> Float {
    Float(options.baseLearningRate * (Double(batch) / Double(options.baseBatch)).squareRoot())
  }

  /// The first `size` indices of a seeded permutation of the training set (all of them when
  /// `size` exceeds it).
  static func evaluationIndices(count: Int, size: Int, seed: UInt64) -> [Int] {
    var sampler = BatchSampler(count: count, seed: seed ^ 0xE7A1)
    return sampler.draw(min(size, count))
  }

  /// Steps of SGD at `batch` from `initial` until the evaluation loss is at most `target`,
  /// interpolated linearly between evaluations (every ⌈2048/B⌉ steps); nil if not reached
  /// within `options.maxRounds` or when the loss becomes non-finite.
  static func roundsToTarget(
    data: LabeledImages, initial: MLP, batch: Int, options: LossProbeOptions, target: Double,
    evaluation: [Int], seed: UInt64
  ) -> Double? {
    let ws = MLPWorkspace(model: initial, maxBatch: 1024)
    var model = initial
    var sampler = BatchSampler(count: data.count, seed: seed)
    var gradient: [Float] = []
    let rate = learningRate(batch, options)
    let every = max(1, (2048 + batch - 1) / batch)
    var previous = (
      step: 0, loss: model.evaluate(on: data, indices: evaluation, workspace: ws).loss
    )
    if previous.loss <= target { return 0 }
    var step = 0
    while step < options.maxRounds {
      let indices = sampler.draw(batch)
      _ = model.lossAndGradient(on: data, indices: indices, gradient: &gradient, workspace: ws)
      model.apply(gradient: gradient, learningRate: rate)
      step += 1
      if step % every == 0 || step == options.maxRounds {
        let loss = model.evaluate(on: data, indices: evaluation, workspace: ws).loss
        guard loss.isFinite else { return nil }
        if loss <= target {
          let fraction = (previous.loss - target) / (previous.loss - loss)
          return Double(previous.step) + fraction * Double(step - previous.step)
        }
        previous = (step, loss)
      }
    }
    return nil
  }
}

/// Draws batches without replacement within a batch (a partial Fisher–Yates shuffle of a
/// kept permutation), batches independent of each other.
struct BatchSampler {
  private var permutation: [Int]
  private var random: TrainingRandom

  init(count: Int, seed: UInt64) {
    permutation = Array(0..<count)
    random = TrainingRandom(seed: seed)
  }

  /// `size` distinct indices, uniformly at random.
  ///
  /// - Precondition: `size <= count`.
  mutating func draw(_ size: Int) -> [Int] {
    precondition(size <= permutation.count, "batch larger than the data set")
    for i in 0..<size {
      let j = i + random.below(permutation.count - i)
      permutation.swapAt(i, j)
    }
    return Array(permutation[0..<size])
  }
}

/// A task's seed from the run's seed and the task's coordinates (SplitMix64 finalizer on
/// each step, so nearby coordinates give unrelated streams).
func mix(_ seed: UInt64, _ a: UInt64, _ b: UInt64, _ c: UInt64) -> UInt64 {
  var r = TrainingRandom(seed: seed ^ (a &* 0x9E37_79B9_7F4A_7C15))
  var x = r.next() ^ b
  r = TrainingRandom(seed: x)
  x = r.next() ^ (c &* 0xD1B5_4A32_D192_ED03)
  r = TrainingRandom(seed: x)
  return r.next()
}

/// A thread-safe counter for progress reports.
private final class Counter: @unchecked Sendable {
  private var value = 0
  private let lock = NSLock()

  func increment() -> Int {
    lock.lock()
    defer { lock.unlock() }
    value += 1
    return value
  }
}
