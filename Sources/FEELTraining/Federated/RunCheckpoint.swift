import FEEL
import Foundation

/// The complete state of a training run between two rounds, so that a killed run can
/// continue to exactly the log of an uninterrupted one.
///
/// It holds the round index and the simulated clock, every parameter of the global model
/// (and of the local models of individual learning) as float32 bit patterns, the states of
/// every seeded generator (the fading channel draws, the random-batch draws, each device's
/// ``LocalSampler`` with its current permutation and position), the evaluation schedule and
/// the records so far. Plain SGD has no optimizer state. Everything else of a run (the
/// partition, the loss subset, a plan that does not change between rounds) is a function of
/// the inputs and is recomputed.
///
/// ``encoded()`` is a little-endian binary format ending in the SHA-256 digest of all the
/// bytes before it; ``init(decoding:)`` rejects any other, truncated or altered bytes.
public struct RunCheckpoint: Sendable, Equatable {
  /// A caller's description of the settings the run belongs to; ``FederatedTrainer`` refuses
  /// to continue from a checkpoint whose context differs from ``RunCheckpointing/context``.
  public var context: String
  /// The run.
  public var key: RunKey
  /// Rounds completed (local epochs for individual learning).
  public var rounds: Int
  /// The simulated clock, seconds.
  public var clockSeconds: Double
  /// The records so far.
  public var records: [TrainingRecord]
  /// The global model's parameters.
  public var parameters: [Float]
  var locals: [[Float]]
  var samples: Int
  var firstBatch: Int
  var firstSeconds: Double
  var environmentRandom: UInt64
  var environmentRounds: Int
  var plannerRandom: UInt64
  var nextGrid: Int
  var samplers: [SamplerState]

  struct SamplerState: Sendable, Equatable {
    var order: [Int]
    var cursor: Int
    var random: UInt64
    var epochs: Int
  }

  static let magic = Array("FEEL-RUN-CHECKPOINT-1\n".utf8)

  /// The checkpoint as bytes (see the type's description).
  /// - Complexity: O(p + |D|) for p parameters and |D| training samples.
  public func encoded() -> Data {
    var w = ByteWriter()
    w.bytes(Self.magic)
    w.string(context)
    w.string(key.scheme.rawValue)
    w.string(key.partition.rawValue)
    w.u64(key.seed)
    w.int(rounds)
    w.double(clockSeconds)
    w.int(records.count)
    for r in records {
      w.int(r.round)
      w.double(r.clockSeconds)
      w.double(r.trainingLoss)
      w.double(r.testAccuracy)
      w.double(r.testLoss)
      w.int(r.samples)
    }
    w.floats(parameters)
    w.int(locals.count)
    for l in locals { w.floats(l) }
    w.int(samples)
    w.int(firstBatch)
    w.double(firstSeconds)
    w.u64(environmentRandom)
    w.int(environmentRounds)
    w.u64(plannerRandom)
    w.int(nextGrid)
    w.int(samplers.count)
    for s in samplers {
      w.int(s.order.count)
      for i in s.order { w.int(i) }
      w.int(s.cursor)
      w.u64(s.random)
      w.int(s.epochs)
    }
    w.bytes(SHA256.digest(w.data))
    return Data(w.data)
  }

  /// Decodes ``encoded()`` bytes.
  ///
  /// - Throws: ``InfeasibleRequest`` naming `field` when the bytes are not a complete,
  ///   unaltered checkpoint (wrong header, truncated, digest mismatch, unknown scheme).
  public init(decoding data: Data, field: String = "checkpoint") throws {
    let all = [UInt8](data)
    func bad(_ why: String) -> InfeasibleRequest {
      InfeasibleRequest(field: field, reason: "not a valid run checkpoint (\(why))")
    }
    guard all.count >= Self.magic.count + 32, Array(all[0..<Self.magic.count]) == Self.magic
    else { throw bad("wrong header or truncated") }
    let body = Array(all[0..<(all.count - 32)])
    guard SHA256.digest(body) == Array(all[(all.count - 32)...]) else {
      throw bad("checksum mismatch: truncated or corrupt")
    }
    var r = ByteReader(bytes: body, offset: Self.magic.count)
    do {
      context = try r.string()
      guard let scheme = TrainingScheme(rawValue: try r.string()),
        let partition = PartitionKind(rawValue: try r.string())
      else { throw bad("unknown scheme or partition") }
      key = RunKey(scheme: scheme, partition: partition, seed: try r.u64())
      rounds = try r.int()
      clockSeconds = try r.double()
      records = []
      for _ in 0..<(try r.count()) {
        records.append(
          TrainingRecord(
            round: try r.int(), clockSeconds: try r.double(), trainingLoss: try r.double(),
            testAccuracy: try r.double(), testLoss: try r.double(), samples: try r.int()))
      }
      parameters = try r.floats()
      locals = []
      for _ in 0..<(try r.count()) { locals.append(try r.floats()) }
      samples = try r.int()
      firstBatch = try r.int()
      firstSeconds = try r.double()
      environmentRandom = try r.u64()
      environmentRounds = try r.int()
      plannerRandom = try r.u64()
      nextGrid = try r.int()
      samplers = []
      for _ in 0..<(try r.count()) {
        var order: [Int] = []
        for _ in 0..<(try r.count()) { order.append(try r.int()) }
        samplers.append(
          SamplerState(order: order, cursor: try r.int(), random: try r.u64(), epochs: try r.int()))
      }
    } catch is ByteReader.End {
      throw bad("truncated")
    }
    guard r.offset == body.count else { throw bad("trailing bytes") }
  }

  /// Captures the state of a run (used by ``FederatedTrainer``).
  init(
    context: String, key: RunKey, environment: LatencyEnvironment, planner: RoundPlanner,
    model: MLP, locals: [MLP], samplers: [LocalSampler], log: Log, clock: SimulatedClock,
    samples: Int, firstBatch: Int, firstSeconds: Double
  ) {
    self.context = context
    self.key = key
    self.rounds = clock.rounds
    self.clockSeconds = clock.seconds
    self.records = log.records
    self.parameters = model.parameters
    self.locals = locals.map(\.parameters)
    self.samples = samples
    self.firstBatch = firstBatch
    self.firstSeconds = firstSeconds
    self.environmentRandom = environment.random.state
    self.environmentRounds = environment.rounds
    self.plannerRandom = planner.random.state
    self.nextGrid = log.nextGrid
    self.samplers = samplers.map {
      SamplerState(order: $0.order, cursor: $0.cursor, random: $0.random.state, epochs: $0.epochs)
    }
  }

  /// Puts the saved state into a freshly set-up run, after checking that it belongs to it.
  ///
  /// - Throws: ``InfeasibleRequest`` (field `checkpoint`) when the checkpoint is of
  ///   another run, other settings or another data set.
  func restore(
    context expected: String, key expectedKey: RunKey, partition: DataPartition,
    environment: inout LatencyEnvironment, planner: inout RoundPlanner, model: inout MLP,
    locals: inout [MLP], samplers: inout [LocalSampler], log: inout Log,
    clock: inout SimulatedClock, samples: inout Int, firstBatch: inout Int,
    firstSeconds: inout Double
  ) throws {
    func mismatch(_ what: String) -> InfeasibleRequest {
      InfeasibleRequest(field: "checkpoint", reason: "was written by another run (\(what))")
    }
    guard context == expected else { throw mismatch("other settings") }
    guard key == expectedKey else { throw mismatch("another scheme, partition or seed") }
    guard parameters.count == model.parameterCount,
      locals.count == self.locals.count,
      self.locals.allSatisfy({ $0.count == model.parameterCount })
    else { throw mismatch("another model size") }
    guard samplers.count == self.samplers.count else { throw mismatch("another device count") }
    for (k, s) in self.samplers.enumerated() {
      guard s.order.sorted() == partition.devices[k].sorted(),
        (0...s.order.count).contains(s.cursor)
      else { throw mismatch("another data set or partition") }
    }
    guard rounds >= 0, environmentRounds >= 0, let last = records.last, last.round <= rounds
    else { throw mismatch("inconsistent rounds") }
    environment.random = TrainingRandom(state: environmentRandom)
    environment.rounds = environmentRounds
    planner.random = TrainingRandom(state: plannerRandom)
    model.parameters = parameters
    for i in locals.indices { locals[i].parameters = self.locals[i] }
    for (k, s) in self.samplers.enumerated() {
      samplers[k].order = s.order
      samplers[k].cursor = s.cursor
      samplers[k].random = TrainingRandom(state: s.random)
      samplers[k].epochs = s.epochs
    }
    log.records = records
    log.nextGrid = nextGrid
    clock = SimulatedClock(seconds: clockSeconds, rounds: rounds)
    samples = self.samples
    firstBatch = self.firstBatch
    firstSeconds = self.firstSeconds
  }
}

/// How ``FederatedTrainer/run(_:checkpointing:progress:)`` saves and resumes a run.
public struct RunCheckpointing: Sendable {
  /// Save after every `every`-th completed round (≥ 1).
  public var every: Int
  /// The settings' description stored in every checkpoint and required of ``resume``.
  public var context: String
  /// The checkpoint to continue from (nil: start at round 0).
  public var resume: RunCheckpoint?
  /// Called with every checkpoint (for example to write it to a file atomically); an error
  /// stops the run.
  public var save: @Sendable (RunCheckpoint) throws -> Void

  /// Creates the settings.
  public init(
    every: Int, context: String, resume: RunCheckpoint? = nil,
    save: @escaping @Sendable (RunCheckpoint) throws -> Void
  ) {
    self.every = Swift.max(1, every)
    self.context = context
    self.resume = resume
    self.save = save
  }
}

/// Little-endian encoding of the checkpoint fields.
struct ByteWriter {
  var data: [UInt8] = []

  mutating func bytes(_ b: [UInt8]) { data.append(contentsOf: b) }
  mutating func u64(_ x: UInt64) {
    for i in 0..<8 { data.append(UInt8(truncatingIfNeeded: x >> (8 * UInt64(i)))) }
  }
  mutating func int(_ x: Int) { u64(UInt64(bitPattern: Int64(x))) }
  mutating func double(_ x: Double) { u64(x.bitPattern) }
  mutating func string(_ s: String) {
    let b = Array(s.utf8)
    int(b.count)
    bytes(b)
  }
  mutating func floats(_ a: [Float]) {
    int(a.count)
    data.reserveCapacity(data.count + 4 * a.count)
    for x in a {
      let v = x.bitPattern
      for i in 0..<4 { data.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) }
    }
  }
}

/// The inverse of ``ByteWriter``; throws ``End`` past the end.
struct ByteReader {
  struct End: Error {}
  let bytes: [UInt8]
  var offset: Int

  mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
    guard n >= 0, n <= bytes.count - offset else { throw End() }
    defer { offset += n }
    return bytes[offset..<(offset + n)]
  }
  mutating func u64() throws -> UInt64 {
    var x: UInt64 = 0
    for (i, b) in try take(8).enumerated() { x |= UInt64(b) << (8 * UInt64(i)) }
    return x
  }
  mutating func int() throws -> Int { Int(truncatingIfNeeded: Int64(bitPattern: try u64())) }
  /// A non-negative count that fits in the bytes left (each element takes at least one).
  mutating func count() throws -> Int {
    let n = try int()
    guard n >= 0, n <= bytes.count - offset else { throw End() }
    return n
  }
  mutating func double() throws -> Double { Double(bitPattern: try u64()) }
  mutating func string() throws -> String {
    String(decoding: try take(try count()), as: UTF8.self)
  }
  mutating func floats() throws -> [Float] {
    let n = try count()
    let raw = try take(4 * n)
    var out = [Float](repeating: 0, count: n)
    var j = raw.startIndex
    for i in 0..<n {
      var v: UInt32 = 0
      for s in 0..<4 { v |= UInt32(raw[j + s]) << (8 * UInt32(s)) }
      out[i] = Float(bitPattern: v)
      j += 4
    }
    return out
  }
}
