import FEEL

/// The training schemes of Section VI, each with its batch rule, its slots and how its
/// rounds are timed on the simulated clock.
///
/// Six schemes are *gradient-based* rounds of eqs. (1)–(2): device k draws B_k samples,
/// computes the mean gradient on them, uploads it (s bits), the server averages with weights
/// B_k (eq. 1) and broadcasts (s bits), and every device takes the step
/// θ ← θ − η·g with η = η₀√(B/B₀). They differ only in B_k and the slots; a round advances
/// the clock by the T of ``EvaluatedPolicy`` for those batches and slots (eqs. 9–15 / 29),
/// exactly the `roundSeconds` of `feel compare`:
///
/// | scheme | B_k | slots |
/// |---|---|---|
/// | ``optimal`` | the integer optimum of P1 / P7 (``IntegerBatches``) | optimal (P4, P5) |
/// | ``gradientBased`` | b = 32 (`--fixed-batch`) for every device, min(b, B^max) | baseline slots |
/// | ``onlineLearning`` | 1 | baseline slots |
/// | ``fullBatch`` | B^max | baseline slots |
/// | ``randomBatch`` | uniform integer in 1 … B^max, redrawn every round and device | baseline slots |
/// | ``equalBatches`` | B*/K at the integer optimum's B* (remainder to the first devices) | baseline slots |
///
/// "Baseline slots" are equal (T_f/K per device in both frames, no resource allocation:
/// the paper's gradient-based FEEL "without considering the communication-and-computation
/// trade-off") unless the run asks for ``SlotAllocation/optimal`` (the best slots for the
/// scheme's batches, which isolates the batch choice).
///
/// Two schemes exchange *models* instead:
/// - ``modelBased`` (FedAvg): every round each device runs one local epoch of mini-batch SGD
///   (batch b = `--fixed-batch`, step η₀√(b/B₀)) from the global model, uploads its model
///   (s bits), the server averages the models weighted by |D_k| and broadcasts the result
///   (s bits). The round time is ``EvaluatedPolicy``'s T for a compute time of
///   ⌈|D_k|/b⌉ gradient steps plus ⌈|D_k|/b⌉ − 1 local updates (the last update is the
///   t_k^M the latency model already counts), with the baseline slots.
/// - ``individualLearning``: each device trains alone (same local SGD) with no
///   communication; a record after e local epochs evaluates the |D_k|-weighted average of
///   the local models, timed as one round whose compute is e epochs (e·⌈|D_k|/b⌉ steps and
///   e·⌈|D_k|/b⌉ − 1 updates) followed by one model upload and one download — the paper's
///   "trains its DNN model until the local loss function converges. Then, the edge server
///   aggregates (averages) all local models". Its "rounds" are local epochs and its clock
///   is not cumulative over communications (there is exactly one). With fading, that one
///   exchange is timed at the scenario's mean rates.
public enum TrainingScheme: String, Sendable, Equatable, CaseIterable {
  /// The optimal batches and slots (P1 for CPU fleets, P7 with GPUs), integer batches.
  case optimal
  /// Gradient-based FEEL: one SGD step per round on a fixed batch (Section VI-C).
  case gradientBased = "gradient-based"
  /// Online learning, B_k = 1 (Section VI-D).
  case onlineLearning = "online-learning"
  /// Full batch, B_k = B^max (Section VI-D).
  case fullBatch = "full-batch"
  /// Random batch in 1 … B^max, redrawn every round (Section VI-D).
  case randomBatch = "random-batch"
  /// Equal batches B*/K (Corollary 1, case A with equal slots).
  case equalBatches = "equal-batches"
  /// Model-based FEEL (FedAvg, one local epoch per round; Section VI-C).
  case modelBased = "model-based"
  /// Individual learning: local training, one final average (Section VI-C).
  case individualLearning = "individual-learning"

  /// How the scheme exchanges information.
  public enum Kind: Sendable, Equatable {
    /// One gradient step per round on B_k samples per device (eqs. 1–2).
    case gradient
    /// One local epoch per round, models averaged (FedAvg).
    case federatedAveraging
    /// Local training only, one final average.
    case individual
  }

  /// The scheme's kind.
  public var kind: Kind {
    switch self {
    case .modelBased: return .federatedAveraging
    case .individualLearning: return .individual
    default: return .gradient
    }
  }

  /// The label in tables and legends.
  public var title: String {
    switch self {
    case .optimal: return "optimal (proposed)"
    case .gradientBased: return "gradient-based FEEL"
    case .onlineLearning: return "online learning"
    case .fullBatch: return "full batch"
    case .randomBatch: return "random batch"
    case .equalBatches: return "equal batches"
    case .modelBased: return "model-based FEEL"
    case .individualLearning: return "individual learning"
    }
  }

  /// One line: batches, slots and timing.
  public func summary(fixedBatch b: Int, slots: SlotAllocation) -> String {
    let s = slots.rawValue + " slots"
    switch self {
    case .optimal: return "integer optimum of P1/P7, optimal slots, T per round"
    case .gradientBased: return "B_k = min(\(b), B^max), \(s), T per round"
    case .onlineLearning: return "B_k = 1, \(s), T per round"
    case .fullBatch: return "B_k = B^max, \(s), T per round"
    case .randomBatch: return "B_k uniform in 1...B^max every round, \(s), T per round"
    case .equalBatches: return "B_k = B*/K (integer B*), \(s), T per round"
    case .modelBased:
      return "one local epoch (batch \(b)) per round, model upload and download, \(s)"
    case .individualLearning:
      return "local epochs (batch \(b)) alone, one model upload and download at the end, \(s)"
    }
  }

  /// The scheme for a command-line name (its raw value).
  /// - Throws: ``InfeasibleRequest`` naming `field` and the valid names.
  public static func named(_ name: String, field: String = "scheme") throws -> TrainingScheme {
    guard let s = TrainingScheme(rawValue: name) else {
      throw InfeasibleRequest(
        field: field,
        reason: "unknown scheme '\(name)'; valid: "
          + allCases.map(\.rawValue).joined(separator: ", "))
    }
    return s
  }
}
