import FEEL

/// What a study was run with: the plan, the training options, the targets and a
/// description of the data and the scenario. Two shard outputs merge only when their
/// settings are equal.
public struct StudySettings: Sendable, Equatable {
  /// Schemes × partitions × seeds.
  public var plan: StudyPlan
  /// The training options.
  public var options: TrainingOptions
  /// The test-accuracy target of the times to target (a fraction in (0, 1]).
  public var targetAccuracy: Double
  /// The training-loss target of the times to target.
  public var targetLoss: Double
  /// Where the data came from (a directory), with its sizes.
  public var data: String
  /// Training images.
  public var trainCount: Int
  /// Test images.
  public var testCount: Int
  /// The scenario's name (or a description of the embedded default).
  public var scenario: String
  /// s, bits per gradient (and per model) of the scenario used.
  public var gradientBits: Double
  /// C of the scenario used (nil: a GPU fleet without C).
  public var cyclesPerSample: Double?
  /// Whether s and C were taken from the trained model (`--latency-from-model`).
  public var latencyFromModel: Bool

  /// Creates settings.
  public init(
    plan: StudyPlan, options: TrainingOptions, targetAccuracy: Double, targetLoss: Double,
    data: String, trainCount: Int, testCount: Int, scenario: String, gradientBits: Double,
    cyclesPerSample: Double?, latencyFromModel: Bool
  ) {
    self.plan = plan
    self.options = options
    self.targetAccuracy = targetAccuracy
    self.targetLoss = targetLoss
    self.data = data
    self.trainCount = trainCount
    self.testCount = testCount
    self.scenario = scenario
    self.gradientBits = gradientBits
    self.cyclesPerSample = cyclesPerSample
    self.latencyFromModel = latencyFromModel
  }

  /// The settings as a JSON object.
  package var jsonValue: JSONValue {
    let o = options
    var stop: [(String, JSONValue)] = []
    switch o.stop {
    case .rounds(let n): stop = [("rounds", .number(Double(n)))]
    case .timeBudget(let t): stop = [("timeBudgetSeconds", .number(t))]
    }
    return .object(
      [
        ("schemes", .array(plan.schemes.map { .string($0.rawValue) })),
        ("partitions", .array(plan.partitions.map { .string($0.rawValue) })),
        ("seeds", .array(plan.seeds.map { .number(Double($0)) })),
      ] + stop + [
        ("hidden", .number(Double(o.hidden))),
        ("learningRate", .number(o.learningRate)),
        ("referenceBatch", .number(o.referenceBatch)),
        ("fixedBatch", .number(Double(o.fixedBatch))),
        ("baselineSlots", .string(o.baselineSlots.rawValue)),
        ("fading", .bool(o.fading)),
        ("evaluations", .number(Double(o.evaluations))),
        ("evaluateEvery", o.evaluateEvery.map { .number(Double($0)) } ?? .null),
        ("lossSamples", .number(Double(o.lossSamples))),
        ("targetAccuracy", .number(targetAccuracy)),
        ("targetLoss", .number(targetLoss)),
        ("data", .string(data)),
        ("trainCount", .number(Double(trainCount))),
        ("testCount", .number(Double(testCount))),
        ("scenario", .string(scenario)),
        ("gradientBits", .number(gradientBits)),
        ("cyclesPerSample", cyclesPerSample.map { .number($0) } ?? .null),
        ("latencyFromModel", .bool(latencyFromModel)),
      ])
  }

  /// Reads settings written by ``jsonValue``.
  /// - Throws: ``InfeasibleRequest`` naming `field` (the file) and the key.
  package init(json v: JSONValue, field: String) throws {
    let r = JSONReader(v, field: field, path: "settings")
    let schemes = try r.array("schemes").enumerated().map { i, s in
      try TrainingScheme.named(try r.string(s, "schemes[\(i)]"), field: field)
    }
    let partitions = try r.array("partitions").enumerated().map { i, s in
      let name = try r.string(s, "partitions[\(i)]")
      guard let p = PartitionKind(rawValue: name) else {
        throw r.error("partitions[\(i)]", "unknown partition '\(name)'")
      }
      return p
    }
    let seeds = try r.array("seeds").enumerated().map { i, s in
      try r.seed(s, "seeds[\(i)]")
    }
    plan = try StudyPlan(schemes: schemes, partitions: partitions, seeds: seeds)
    var o = TrainingOptions()
    if let n = try r.optionalNumber("rounds") {
      o.stop = .rounds(try r.integer(n, "rounds"))
    } else {
      o.stop = .timeBudget(try r.number("timeBudgetSeconds"))
    }
    o.hidden = try r.integer(try r.number("hidden"), "hidden")
    o.learningRate = try r.number("learningRate")
    o.referenceBatch = try r.number("referenceBatch")
    o.fixedBatch = try r.integer(try r.number("fixedBatch"), "fixedBatch")
    let slots = try r.string(try r.value("baselineSlots"), "baselineSlots")
    guard let s = SlotAllocation(rawValue: slots) else {
      throw r.error("baselineSlots", "unknown slot allocation '\(slots)'")
    }
    o.baselineSlots = s
    o.fading = try r.bool("fading")
    o.evaluations = try r.integer(try r.number("evaluations"), "evaluations")
    o.evaluateEvery = try r.optionalNumber("evaluateEvery").map {
      try r.integer($0, "evaluateEvery")
    }
    o.lossSamples = try r.integer(try r.number("lossSamples"), "lossSamples")
    options = o
    targetAccuracy = try r.number("targetAccuracy")
    targetLoss = try r.number("targetLoss")
    data = try r.string(try r.value("data"), "data")
    trainCount = try r.integer(try r.number("trainCount"), "trainCount")
    testCount = try r.integer(try r.number("testCount"), "testCount")
    scenario = try r.string(try r.value("scenario"), "scenario")
    gradientBits = try r.number("gradientBits")
    cyclesPerSample = try r.optionalNumber("cyclesPerSample")
    latencyFromModel = try r.bool("latencyFromModel")
  }
}

/// Reads typed values out of a JSON object, with errors naming the file and the key.
struct JSONReader {
  let object: JSONValue
  let field: String
  let path: String

  init(_ object: JSONValue, field: String, path: String) {
    self.object = object
    self.field = field
    self.path = path
  }

  func error(_ key: String, _ reason: String) -> InfeasibleRequest {
    InfeasibleRequest(field: field, reason: "\(path).\(key): \(reason)")
  }

  func value(_ key: String) throws -> JSONValue {
    guard case .object = object else { throw error(key, "expected an object") }
    guard let v = object[key] else { throw error(key, "missing") }
    return v
  }

  func number(_ key: String) throws -> Double {
    guard case .number(let x) = try value(key) else { throw error(key, "expected a number") }
    return x
  }

  /// A number that may be null (non-finite values are written as null): NaN for null.
  func numberOrNaN(_ key: String) throws -> Double {
    switch try value(key) {
    case .number(let x): return x
    case .null: return .nan
    default: throw error(key, "expected a number or null")
    }
  }

  func optionalNumber(_ key: String) throws -> Double? {
    guard case .object = object, let v = object[key] else { return nil }
    switch v {
    case .null: return nil
    case .number(let x): return x
    default: throw error(key, "expected a number or null")
    }
  }

  func bool(_ key: String) throws -> Bool {
    guard case .bool(let b) = try value(key) else { throw error(key, "expected true or false") }
    return b
  }

  func array(_ key: String) throws -> [JSONValue] {
    guard case .array(let a) = try value(key) else { throw error(key, "expected an array") }
    return a
  }

  func string(_ v: JSONValue, _ key: String) throws -> String {
    guard case .string(let s) = v else { throw error(key, "expected a string") }
    return s
  }

  func integer(_ x: Double, _ key: String) throws -> Int {
    guard x.isFinite, x == x.rounded(), abs(x) < 0x1p53 else {
      throw error(key, "expected an integer (got \(x))")
    }
    return Int(x)
  }

  func seed(_ v: JSONValue, _ key: String) throws -> UInt64 {
    guard case .number(let x) = v, x.isFinite, x >= 0, x == x.rounded(), x <= 0x1p53 else {
      throw error(key, "expected an integer seed in 0...2^53")
    }
    return UInt64(x)
  }
}
