/// The scenario key `lossDecay`: `{"model": "sqrt", "coefficient": ξ}` (ξ defaults to 1),
/// `{"model": "power", "coefficient": ξ, "exponent": α}` or
/// `{"model": "saturating", "maxDecrease": L∞, "noiseBatch": B_n}`.
extension LossDecay {
  /// The keys each model allows.
  static let keys: [String: Set<String>] = [
    "sqrt": ["model", "coefficient"],
    "power": ["model", "coefficient", "exponent"],
    "saturating": ["model", "maxDecrease", "noiseBatch"],
  ]

  /// Reads and checks a `lossDecay` object.
  ///
  /// - Throws: ``ScenarioError`` naming the field (`lossDecay.model`,
  ///   `lossDecay.exponent`, …) for an unknown model, an unknown or missing key, a value
  ///   that is not a finite number, or a parameter out of range.
  package init(jsonValue: JSONValue, field: String = "lossDecay") throws {
    try self.init(reader: try Reader(jsonValue, path: field))
  }

  init(reader r: Reader) throws {
    guard let model = try r.string("model") else {
      throw ScenarioError(
        field: r.name("model"), reason: "is required (\"sqrt\", \"power\" or \"saturating\")")
    }
    guard let allowed = Self.keys[model] else {
      throw ScenarioError(
        field: r.name("model"),
        reason: "must be \"sqrt\", \"power\" or \"saturating\" (got \"\(model)\")")
    }
    try r.allow(allowed)
    switch model {
    case "sqrt":
      self = .sqrt(coefficient: try r.number("coefficient") ?? 1)
    case "power":
      self = .power(
        coefficient: try r.required("coefficient"), exponent: try r.required("exponent"))
    default:
      self = .saturating(
        maxDecrease: try r.required("maxDecrease"), noiseBatch: try r.required("noiseBatch"))
    }
    try validate(field: r.path)
  }

  /// The model as the scenario's `lossDecay` object (the same keys it is read from).
  package var jsonValue: JSONValue {
    switch self {
    case .sqrt(let c):
      .object([("model", .string("sqrt")), ("coefficient", .number(c))])
    case .power(let c, let a):
      .object([("model", .string("power")), ("coefficient", .number(c)), ("exponent", .number(a))])
    case .saturating(let l, let n):
      .object([
        ("model", .string("saturating")), ("maxDecrease", .number(l)), ("noiseBatch", .number(n)),
      ])
    }
  }
}
