/// Why a model could not be built or changed.
public enum MLPError: Error, CustomStringConvertible, Equatable, Sendable {
  /// A parameter vector of the wrong length: `field` names the argument.
  case parameterCountMismatch(field: String, expected: Int, actual: Int)
  /// A non-finite parameter: `field` names the argument, `index` the position.
  case nonFinite(field: String, index: Int)

  /// One line naming the argument and what is wrong.
  public var description: String {
    switch self {
    case .parameterCountMismatch(let field, let expected, let actual):
      return "\(field): \(actual) values, the model has \(expected) parameters"
    case .nonFinite(let field, let index):
      return "\(field): value at \(index) is not finite"
    }
  }
}

/// A multilayer perceptron `inputs`–`hidden`–`classes` (784-H-10 for Fashion-MNIST): one
/// ReLU hidden layer, a linear output layer, softmax cross-entropy loss, float32.
///
/// For an input x ∈ ℝ^inputs with label y:
///
///   a = W₁x + b₁,  h = max(a, 0),  z = W₂h + b₂,  ℓ(θ; x, y) = log Σ_c e^{z_c} − z_y.
///
/// The parameters θ are stored in one vector, ``parameters``, in the order
/// W₁ (hidden × inputs, row-major) | b₁ (hidden) | W₂ (classes × hidden, row-major) | b₂
/// (classes), so that an averaged gradient (the paper's eq. 1) and the update
/// θ ← θ − η·g (eq. 2) are plain vector operations. The forward and backward passes are
/// written by hand (`MLP+Gradient.swift`).
public struct MLP: Sendable, Equatable {
  /// Input width (pixels per image).
  public let inputs: Int
  /// Hidden-layer width H.
  public let hidden: Int
  /// Number of classes (output width).
  public let classes: Int
  /// θ: W₁ (hidden × inputs) | b₁ | W₂ (classes × hidden) | b₂.
  public internal(set) var parameters: [Float]

  /// The length of ``parameters``: hidden·(inputs + 1) + classes·(hidden + 1).
  public var parameterCount: Int {
    Self.parameterCount(inputs: inputs, hidden: hidden, classes: classes)
  }

  /// FLOPs of forward plus backward for one sample by the usual count, 6 × the weight
  /// count (2 per weight forward, 4 backward): the per-sample work that a scenario's C
  /// (cycles per sample) stands for. (This implementation skips the unused input gradient
  /// of the first layer, so it performs 4·inputs·hidden + 6·hidden·classes.)
  public var flopsPerSample: Double { 6 * Double(hidden * inputs + classes * hidden) }

  /// A seeded model: W₁ by He initialization (normal, variance 2/inputs, for the ReLU
  /// layer), W₂ by Glorot's uniform rule (±√(6/(hidden + classes))), biases zero. The
  /// normals come from ``TrainingRandom`` (bits mapped by hand), so the same seed gives the
  /// same model on every toolchain.
  ///
  /// - Precondition: `inputs`, `hidden` and `classes` are positive.
  public init(inputs: Int, hidden: Int, classes: Int, seed: UInt64) {
    precondition(inputs > 0 && hidden > 0 && classes > 0, "MLP sizes must be positive")
    self.inputs = inputs
    self.hidden = hidden
    self.classes = classes
    var random = TrainingRandom(seed: seed)
    var theta = [Float](
      repeating: 0, count: Self.parameterCount(inputs: inputs, hidden: hidden, classes: classes))
    let heScale = (2 / Double(inputs)).squareRoot()
    for i in 0..<(hidden * inputs) { theta[i] = Float(heScale * random.normal()) }
    let glorot = (6 / Double(hidden + classes)).squareRoot()
    let w2 = hidden * inputs + hidden
    for i in 0..<(classes * hidden) { theta[w2 + i] = Float(glorot * (2 * random.unit() - 1)) }
    self.parameters = theta
  }

  /// A model with the given parameter vector (same layout as ``parameters``).
  ///
  /// - Precondition: `inputs`, `hidden` and `classes` are positive.
  /// - Throws: ``MLPError`` naming `parameters` when the length is wrong or a value is not
  ///   finite.
  public init(inputs: Int, hidden: Int, classes: Int, parameters: [Float]) throws(MLPError) {
    precondition(inputs > 0 && hidden > 0 && classes > 0, "MLP sizes must be positive")
    self.inputs = inputs
    self.hidden = hidden
    self.classes = classes
    self.parameters = []
    try replaceParameters(with: parameters)
  }

  /// hidden·(inputs + 1) + classes·(hidden + 1).
  static func parameterCount(inputs: Int, hidden: Int, classes: Int) -> Int {
    hidden * (inputs + 1) + classes * (hidden + 1)
  }

  /// Offsets of b₁, W₂ and b₂ in ``parameters`` (W₁ starts at 0).
  var offsets: (b1: Int, w2: Int, b2: Int) {
    let b1 = hidden * inputs
    let w2 = b1 + hidden
    return (b1, w2, w2 + classes * hidden)
  }

  /// The gradient step θ ← θ − η·g (the paper's eq. 2).
  ///
  /// - Precondition: `gradient.count == parameterCount`.
  /// - Complexity: O(parameterCount).
  public mutating func apply(gradient: [Float], learningRate: Float) {
    precondition(
      gradient.count == parameters.count,
      "apply(gradient:): \(gradient.count) values for \(parameters.count) parameters")
    parameters.withUnsafeMutableBufferPointer { theta in
      gradient.withUnsafeBufferPointer { g in
        for i in 0..<theta.count { theta[i] -= learningRate * g[i] }
      }
    }
  }

  /// Replaces θ (e.g. by the server's average in model-based FEEL).
  ///
  /// - Throws: ``MLPError`` naming `parameters` when the length differs from
  ///   ``parameterCount`` or a value is not finite; the model is then unchanged.
  public mutating func replaceParameters(with newParameters: [Float]) throws(MLPError) {
    let expected = Self.parameterCount(inputs: inputs, hidden: hidden, classes: classes)
    guard newParameters.count == expected else {
      throw .parameterCountMismatch(
        field: "parameters", expected: expected, actual: newParameters.count)
    }
    if let bad = newParameters.firstIndex(where: { !$0.isFinite }) {
      throw .nonFinite(field: "parameters", index: bad)
    }
    parameters = newParameters
  }
}
