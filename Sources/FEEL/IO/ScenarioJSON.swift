import Foundation

/// Reading and writing the scenario file (its format: the command reference, "The scenario file").
///
/// Unknown keys are errors (a typo must not fall back to a default); every number must be
/// finite and in range; integers (`maxBatch`, `thresholdBatch`) must be integral. Each
/// error is a ``ScenarioError`` naming the field by its path.
extension Scenario {
  /// Reads a scenario from JSON text.
  public init(json data: Data) throws {
    let root = try JSONValue.parse(data)
    try self.init(jsonValue: root)
  }

  /// Reads a scenario from a file.
  /// - Throws: ``ScenarioError`` (field `SCENARIO`) when the file cannot be read.
  public init(contentsOf url: URL) throws {
    let data: Data
    do { data = try FileContents.read(url) } catch {
      throw ScenarioError(field: "SCENARIO", reason: "cannot read file '\(url.path)'")
    }
    try self.init(json: data)
  }

  /// The keys of a device object (built once: checked for every device).
  static let deviceKeys: Set<String> = [
    "cpuHz", "gpu", "uplinkBps", "downlinkBps", "distanceMeters",
  ]
  /// The keys of a `gpu` object.
  static let gpuKeys: Set<String> = ["baseSeconds", "secondsPerSample", "thresholdBatch", "flops"]

  /// Reads a scenario from a parsed JSON tree.
  package init(jsonValue root: JSONValue) throws {
    let top = try Reader(root, path: "")
    try top.allow([
      "name", "gradientBits", "parameters", "bitsPerParameter", "lossDecayCoefficient", "lossDecay",
      "maxBatch", "uplinkFrameSeconds", "downlinkFrameSeconds", "cyclesPerSample", "updateCycles",
      "updateFlops", "channel", "devices",
    ])
    let name = try top.string("name")
    var s = try top.number("gradientBits")
    let p = try top.number("parameters")
    let b = try top.number("bitsPerParameter")
    if let p {
      guard s == nil else {
        throw ScenarioError(
          field: "parameters", reason: "give either gradientBits or parameters, not both")
      }
      s = try Check.positive(p, "parameters") * Check.positive(b ?? 32, "bitsPerParameter")
    } else if b != nil {
      throw ScenarioError(
        field: "bitsPerParameter", reason: "is only allowed together with parameters")
    }
    guard let gradientBits = s else {
      throw ScenarioError(
        field: "gradientBits", reason: "is required (or give parameters and bitsPerParameter)")
    }
    var lossDecay: LossDecay?
    if let l = try top.object("lossDecay") {
      guard top.value("lossDecayCoefficient") == nil else {
        throw ScenarioError(
          field: "lossDecay",
          reason: "give either lossDecay or lossDecayCoefficient, not both (lossDecay carries ξ)")
      }
      lossDecay = try LossDecay(reader: l)
    }
    var channel = Channel()
    if let c = try top.object("channel") {
      try c.allow([
        "bandwidthHz", "noiseDbmPerHz", "uplinkPowerDbm", "downlinkPowerDbm",
        "pathLossInterceptDb", "pathLossSlopeDb", "fading",
      ])
      let bandwidth = try c.number("bandwidthHz")
      let noise = try c.number("noiseDbmPerHz")
      let uplinkPower = try c.number("uplinkPowerDbm")
      let downlinkPower = try c.number("downlinkPowerDbm")
      let intercept = try c.number("pathLossInterceptDb")
      let slope = try c.number("pathLossSlopeDb")
      var fading: Fading?
      if let f = try c.string("fading") {
        guard let parsed = Fading(rawValue: f) else {
          throw ScenarioError(
            field: "channel.fading", reason: "must be \"rayleigh\" or \"none\" (got \"\(f)\")")
        }
        fading = parsed
      }
      channel = channel.replacing(
        bandwidthHz: bandwidth, noiseDbmPerHz: noise, uplinkPowerDbm: uplinkPower,
        downlinkPowerDbm: downlinkPower, pathLossInterceptDb: intercept, pathLossSlopeDb: slope,
        fading: fading)
    }
    guard let list = try top.array("devices") else {
      throw ScenarioError(field: "devices", reason: "is required (an array of K >= 1 devices)")
    }
    var devices: [Device] = []
    devices.reserveCapacity(list.count)
    for (k, item) in list.enumerated() {
      let path = "devices[\(k)]"
      let d = try Reader(item, path: path)
      try d.allow(Self.deviceKeys)
      let compute: Compute
      let cpu = try d.number("cpuHz")
      let gpu = try d.object("gpu")
      switch (cpu, gpu) {
      case (let hz?, nil): compute = .cpu(hz: hz)
      case (nil, let g?):
        try g.allow(Self.gpuKeys)
        compute = .gpu(
          GPUProfile(
            baseSeconds: try g.required("baseSeconds"),
            secondsPerSample: try g.required("secondsPerSample"),
            thresholdBatch: try g.integer("thresholdBatch", required: true) ?? 0,
            flops: try g.required("flops")))
      case (nil, nil):
        throw ScenarioError(field: path, reason: "needs a compute description: cpuHz or gpu")
      default:
        throw ScenarioError(field: path, reason: "has both cpuHz and gpu; give exactly one")
      }
      let up = try d.number("uplinkBps")
      let down = try d.number("downlinkBps")
      let dist = try d.number("distanceMeters")
      let link: Link
      switch (up, down, dist) {
      case (let u?, let v?, nil): link = .rates(uplinkBps: u, downlinkBps: v)
      case (nil, nil, let m?): link = .distance(meters: m)
      case (_?, nil, nil):
        throw ScenarioError(field: "\(path).downlinkBps", reason: "is required with uplinkBps")
      case (nil, _?, nil):
        throw ScenarioError(field: "\(path).uplinkBps", reason: "is required with downlinkBps")
      case (nil, nil, nil):
        throw ScenarioError(
          field: path, reason: "needs a link: uplinkBps and downlinkBps, or distanceMeters")
      default:
        throw ScenarioError(
          field: path, reason: "has both rates and distanceMeters; give exactly one link")
      }
      devices.append(Device(compute: compute, link: link))
    }
    try self.init(
      name: name, gradientBits: gradientBits,
      lossDecayCoefficient: try top.number("lossDecayCoefficient") ?? 1, lossDecay: lossDecay,
      maxBatch: try top.integer("maxBatch", required: false) ?? 128,
      uplinkFrameSeconds: try top.number("uplinkFrameSeconds") ?? 0.01,
      downlinkFrameSeconds: try top.number("downlinkFrameSeconds") ?? 0.01,
      cyclesPerSample: try top.number("cyclesPerSample"),
      updateCycles: try top.number("updateCycles") ?? 0,
      updateFlops: try top.number("updateFlops") ?? 0,
      channel: channel, devices: devices)
  }

  /// The scenario as the text of a scenario file (pretty-printed JSON); ``init(json:)`` of
  /// its UTF-8 bytes gives the scenario back.
  public var jsonText: String { jsonValue.serialized(pretty: true) }

  /// The scenario as JSON in the scenario-file format.
  package var jsonValue: JSONValue {
    var pairs: [(String, JSONValue)] = []
    if let name { pairs.append(("name", .string(name))) }
    pairs.append(("gradientBits", .number(gradientBits)))
    if case .sqrt(let xi) = lossDecay {
      pairs.append(("lossDecayCoefficient", .number(xi)))
    } else {
      pairs.append(("lossDecay", lossDecay.jsonValue))
    }
    pairs.append(("maxBatch", .number(Double(maxBatch))))
    pairs.append(("uplinkFrameSeconds", .number(uplinkFrameSeconds)))
    pairs.append(("downlinkFrameSeconds", .number(downlinkFrameSeconds)))
    if let cyclesPerSample { pairs.append(("cyclesPerSample", .number(cyclesPerSample))) }
    pairs.append(("updateCycles", .number(updateCycles)))
    pairs.append(("updateFlops", .number(updateFlops)))
    pairs.append(
      (
        "channel",
        .object([
          ("bandwidthHz", .number(channel.bandwidthHz)),
          ("noiseDbmPerHz", .number(channel.noiseDbmPerHz)),
          ("uplinkPowerDbm", .number(channel.uplinkPowerDbm)),
          ("downlinkPowerDbm", .number(channel.downlinkPowerDbm)),
          ("pathLossInterceptDb", .number(channel.pathLossInterceptDb)),
          ("pathLossSlopeDb", .number(channel.pathLossSlopeDb)),
          ("fading", .string(channel.fading.rawValue)),
        ])
      ))
    let list: [JSONValue] = devices.map { d in
      var p: [(String, JSONValue)] = []
      switch d.compute {
      case .cpu(let hz): p.append(("cpuHz", .number(hz)))
      case .gpu(let g):
        p.append(
          (
            "gpu",
            .object([
              ("baseSeconds", .number(g.baseSeconds)),
              ("secondsPerSample", .number(g.secondsPerSample)),
              ("thresholdBatch", .number(Double(g.thresholdBatch))), ("flops", .number(g.flops)),
            ])
          ))
      }
      switch d.link {
      case .rates(let u, let v):
        p.append(("uplinkBps", .number(u)))
        p.append(("downlinkBps", .number(v)))
      case .distance(let m): p.append(("distanceMeters", .number(m)))
      }
      return .object(p)
    }
    pairs.append(("devices", .array(list)))
    return .object(pairs)
  }
}

/// Typed access to one JSON object, with field paths for errors.
struct Reader {
  let pairs: [(String, JSONValue)]
  let path: String

  init(_ value: JSONValue, path: String) throws {
    guard case .object(let p) = value else {
      throw ScenarioError(field: path.isEmpty ? "json" : path, reason: "must be a JSON object")
    }
    pairs = p
    self.path = path
  }

  func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

  func allow(_ keys: Set<String>) throws {
    for (key, _) in pairs where !keys.contains(key) {
      throw ScenarioError(
        field: name(key), reason: "unknown key (allowed: \(keys.sorted().joined(separator: ", ")))")
    }
  }

  func value(_ key: String) -> JSONValue? {
    guard let v = pairs.first(where: { $0.0 == key })?.1 else { return nil }
    if case .null = v { return nil }
    return v
  }

  func number(_ key: String) throws -> Double? {
    guard let v = value(key) else { return nil }
    guard case .number(let x) = v else {
      throw ScenarioError(field: name(key), reason: "must be a number")
    }
    return try Check.finite(x, name(key))
  }

  func required(_ key: String) throws -> Double {
    guard let x = try number(key) else {
      throw ScenarioError(field: name(key), reason: "is required")
    }
    return x
  }

  func integer(_ key: String, required: Bool) throws -> Int? {
    guard let x = try number(key) else {
      if required { throw ScenarioError(field: name(key), reason: "is required") }
      return nil
    }
    guard x == x.rounded(), abs(x) < 1e15 else {
      throw ScenarioError(field: name(key), reason: "must be an integer (got \(x))")
    }
    return Int(x)
  }

  func string(_ key: String) throws -> String? {
    guard let v = value(key) else { return nil }
    guard case .string(let s) = v else {
      throw ScenarioError(field: name(key), reason: "must be a string")
    }
    return s
  }

  func object(_ key: String) throws -> Reader? {
    guard let v = value(key) else { return nil }
    return try Reader(v, path: name(key))
  }

  func array(_ key: String) throws -> [JSONValue]? {
    guard let v = value(key) else { return nil }
    guard case .array(let a) = v else {
      throw ScenarioError(field: name(key), reason: "must be an array")
    }
    return a
  }
}
