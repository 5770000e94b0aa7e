import Foundation
import Testing

@testable import FEELTraining

/// The hand-written gradient of the MLP against finite differences of an independent,
/// straightforward double-precision loss, and the paper's eq. (1) identity.
@Suite struct MLPGradientTests {
  /// A random set of `count` images of `features` pixels with `classes` labels.
  static func randomSet(count: Int, features: Int, classes: Int, seed: UInt64) -> LabeledImages {
    var random = TrainingRandom(seed: seed)
    let pixels = (0..<(count * features)).map { _ in Float(random.unit()) }
    let labels = (0..<count).map { _ in UInt8(random.below(classes)) }
    return try! LabeledImages(
      rows: 1, columns: features, classCount: classes, pixels: pixels, labels: labels)
  }

  /// A model with random biases too (the seeded init sets them to zero), so that every
  /// parameter's gradient is exercised.
  static func randomModel(inputs: Int, hidden: Int, classes: Int, seed: UInt64) -> MLP {
    var model = MLP(inputs: inputs, hidden: hidden, classes: classes, seed: seed)
    var random = TrainingRandom(seed: seed ^ 0xB1A5)
    let theta = model.parameters.map { $0 + Float(0.2 * (random.unit() - 0.5)) }
    try! model.replaceParameters(with: theta)
    return model
  }

  /// The mean cross-entropy written out element by element in Double, straight from the
  /// definition ℓ = log Σ_c exp(z_c) − z_y, z = W₂ max(W₁x + b₁, 0) + b₂ — sharing no code
  /// with the model.
  static func referenceLoss(
    _ theta: [Double], inputs: Int, hidden: Int, classes: Int, data: LabeledImages,
    indices: [Int]
  ) -> Double {
    var total = 0.0
    for index in indices {
      var h = [Double](repeating: 0, count: hidden)
      for j in 0..<hidden {
        var a = theta[hidden * inputs + j]
        for i in 0..<inputs {
          a += theta[j * inputs + i] * Double(data.pixels[index * inputs + i])
        }
        h[j] = max(a, 0)
      }
      let w2 = hidden * inputs + hidden
      let b2 = w2 + classes * hidden
      var z = [Double](repeating: 0, count: classes)
      for c in 0..<classes {
        var s = theta[b2 + c]
        for j in 0..<hidden { s += theta[w2 + c * hidden + j] * h[j] }
        z[c] = s
      }
      let sumExp = z.reduce(0) { $0 + exp($1) }
      total += log(sumExp) - z[Int(data.labels[index])]
    }
    return total / Double(indices.count)
  }

  @Test(arguments: [(0x5EED_0001 as UInt64, 1), (0x5EED_0002, 3), (0x5EED_0003, 16)])
  func gradientMatchesFiniteDifferencesOfAnIndependentDoubleLoss(seed: UInt64, chunk: Int) {
    let (inputs, hidden, classes) = (7, 5, 4)
    let data = Self.randomSet(count: 9, features: inputs, classes: classes, seed: seed)
    let model = Self.randomModel(inputs: inputs, hidden: hidden, classes: classes, seed: seed)
    let indices = [3, 0, 8, 8, 5, 1, 2, 7]  // with a repeat
    let workspace = MLPWorkspace(model: model, maxBatch: chunk)
    var gradient: [Float] = []
    let loss = model.lossAndGradient(
      on: data, indices: indices, gradient: &gradient, workspace: workspace)
    #expect(gradient.count == model.parameterCount)
    let theta = model.parameters.map(Double.init)
    let reference = Self.referenceLoss(
      theta, inputs: inputs, hidden: hidden, classes: classes, data: data, indices: indices)
    #expect(abs(loss - reference) <= 1e-5 * max(1, abs(reference)), "loss \(loss) vs \(reference)")
    let step = 1e-6
    var worst = 0.0
    for p in 0..<theta.count {
      var plus = theta
      var minus = theta
      plus[p] += step
      minus[p] -= step
      let fd =
        (Self.referenceLoss(
          plus, inputs: inputs, hidden: hidden, classes: classes, data: data, indices: indices)
          - Self.referenceLoss(
            minus, inputs: inputs, hidden: hidden, classes: classes, data: data, indices: indices
          )) / (2 * step)
      let error = abs(Double(gradient[p]) - fd) / max(1e-2, abs(fd))
      worst = max(worst, error)
      #expect(error <= 1e-3, "seed \(seed) parameter \(p): \(gradient[p]) vs FD \(fd)")
    }
    #expect(worst.isFinite)
  }

  /// Eq. (1): Σ_k B_k g_k / Σ_k B_k, with g_k the mean gradient over device k's batch,
  /// equals the mean gradient over the union of the batches.
  @Test func weightedAverageOfDeviceGradientsIsTheGradientOfTheUnion() {
    let (inputs, hidden, classes) = (12, 6, 5)
    let data = Self.randomSet(count: 40, features: inputs, classes: classes, seed: 0xE01)
    let model = Self.randomModel(inputs: inputs, hidden: hidden, classes: classes, seed: 0xE02)
    let workspace = MLPWorkspace(model: model, maxBatch: 4)
    var random = TrainingRandom(seed: 0xE03)
    var order = Array(0..<40)
    random.shuffle(&order)
    let sizes = [7, 1, 0, 12, 3]
    var devices: [[Int]] = []
    var start = 0
    for size in sizes {
      devices.append(Array(order[start..<(start + size)]))
      start += size
    }
    var average = [Double](repeating: 0, count: model.parameterCount)
    var lossAverage = 0.0
    var gradient: [Float] = []
    for batch in devices {
      let loss = model.lossAndGradient(
        on: data, indices: batch, gradient: &gradient, workspace: workspace)
      for p in 0..<average.count { average[p] += Double(batch.count) * Double(gradient[p]) }
      lossAverage += Double(batch.count) * loss
    }
    let total = Double(sizes.reduce(0, +))
    let union = devices.flatMap { $0 }
    let unionLoss = model.lossAndGradient(
      on: data, indices: union, gradient: &gradient, workspace: workspace)
    #expect(abs(lossAverage / total - unionLoss) <= 1e-6 * max(1, unionLoss))
    for p in 0..<average.count {
      let weighted = average[p] / total
      #expect(
        abs(weighted - Double(gradient[p])) <= 1e-5 * max(1e-2, abs(weighted)),
        "parameter \(p): \(weighted) vs \(gradient[p])")
    }
  }

  @Test func emptyBatchGivesZeroLossAndGradient() {
    let model = MLP(inputs: 3, hidden: 2, classes: 2, seed: 1)
    let data = Self.randomSet(count: 2, features: 3, classes: 2, seed: 2)
    var gradient = [Float](repeating: 7, count: model.parameterCount)
    let loss = model.lossAndGradient(
      on: data, indices: [], gradient: &gradient, workspace: MLPWorkspace(model: model, maxBatch: 2)
    )
    #expect(loss == 0)
    #expect(gradient.allSatisfy { $0 == 0 })
  }

  /// Accuracy against a direct count of argmax predictions from the reference forward pass;
  /// the loss equals the training loss over the same samples.
  @Test func evaluateCountsArgmaxAndMatchesTheTrainingLoss() {
    let (inputs, hidden, classes) = (10, 8, 3)
    let data = Self.randomSet(count: 23, features: inputs, classes: classes, seed: 0xA11)
    let model = Self.randomModel(inputs: inputs, hidden: hidden, classes: classes, seed: 0xA12)
    let workspace = MLPWorkspace(model: model, maxBatch: 5)
    let result = model.evaluate(on: data, workspace: workspace)
    var gradient: [Float] = []
    let trainingLoss = model.lossAndGradient(
      on: data, indices: Array(0..<23), gradient: &gradient, workspace: workspace)
    #expect(abs(result.loss - trainingLoss) <= 1e-6 * max(1, trainingLoss))
    let theta = model.parameters.map(Double.init)
    var correct = 0
    for index in 0..<23 {
      // The predicted class maximizes the loss-free logit: compare the reference loss of
      // each candidate label.
      var best = 0
      var bestLoss = Double.infinity
      for c in 0..<classes {
        let relabelled = try! LabeledImages(
          rows: 1, columns: inputs, classCount: classes,
          pixels: Array(data.pixels[(index * inputs)..<((index + 1) * inputs)]),
          labels: [UInt8(c)])
        let l = Self.referenceLoss(
          theta, inputs: inputs, hidden: hidden, classes: classes, data: relabelled, indices: [0])
        if l < bestLoss {
          bestLoss = l
          best = c
        }
      }
      if best == Int(data.labels[index]) { correct += 1 }
    }
    #expect(result.accuracy == Double(correct) / 23)
    let some = model.evaluate(on: data, indices: [4, 4, 9], workspace: workspace)
    let direct = Self.referenceLoss(
      theta, inputs: inputs, hidden: hidden, classes: classes, data: data, indices: [4, 4, 9])
    #expect(abs(some.loss - direct) <= 1e-5 * max(1, direct))
  }

  @Test func applyIsTheGradientStepAndReplaceChecksTheLength() throws {
    var model = MLP(inputs: 4, hidden: 3, classes: 2, seed: 9)
    let before = model.parameters
    let g = (0..<model.parameterCount).map { Float($0) / 10 }
    model.apply(gradient: g, learningRate: 0.5)
    for p in 0..<before.count { #expect(model.parameters[p] == before[p] - 0.5 * g[p]) }
    #expect(model.parameterCount == 3 * 5 + 2 * 4)
    #expect(throws: MLPError.parameterCountMismatch(field: "parameters", expected: 23, actual: 2)) {
      try model.replaceParameters(with: [1, 2])
    }
    var bad = before
    bad[5] = .infinity
    #expect(throws: MLPError.nonFinite(field: "parameters", index: 5)) {
      try model.replaceParameters(with: bad)
    }
    try model.replaceParameters(with: before)
    #expect(model.parameters == before)
  }

  @Test func seededInitializationIsRepeatableAndScaled() {
    let a = MLP(inputs: 784, hidden: 32, classes: 10, seed: 42)
    #expect(a == MLP(inputs: 784, hidden: 32, classes: 10, seed: 42))
    #expect(a != MLP(inputs: 784, hidden: 32, classes: 10, seed: 43))
    #expect(a.flopsPerSample == 6 * Double(784 * 32 + 32 * 10))
    // He: W₁ entries have variance 2/784; the sample variance of 25,088 of them is within
    // 5 % (its relative standard error is √(2/25088) ≈ 0.9 %).
    let w1 = a.parameters[0..<(784 * 32)].map(Double.init)
    let variance = w1.reduce(0) { $0 + $1 * $1 } / Double(w1.count)
    #expect(abs(variance / (2.0 / 784) - 1) < 0.05)
    let (b1, w2, b2) = a.offsets
    #expect(a.parameters[b1..<w2].allSatisfy { $0 == 0 })
    #expect(a.parameters[b2...].allSatisfy { $0 == 0 })
    let bound = Float((6.0 / 42).squareRoot())
    #expect(a.parameters[w2..<b2].allSatisfy { abs($0) <= bound })
  }

  /// A few full-batch gradient steps on a small learnable problem lower the loss (the
  /// gradient points downhill), and the model then classifies the training set well.
  @Test func gradientDescentLowersTheLoss() {
    let (inputs, classes) = (8, 3)
    var random = TrainingRandom(seed: 0xD0)
    var pixels: [Float] = []
    var labels: [UInt8] = []
    for i in 0..<60 {
      let label = i % classes
      for f in 0..<inputs {
        let signal: Float = f % classes == label ? 0.8 : 0.2
        pixels.append(min(1, max(0, signal + Float(0.2 * (random.unit() - 0.5)))))
      }
      labels.append(UInt8(label))
    }
    let data = try! LabeledImages(
      rows: 2, columns: 4, classCount: classes, pixels: pixels, labels: labels)
    var model = MLP(inputs: inputs, hidden: 6, classes: classes, seed: 0xD1)
    let workspace = MLPWorkspace(model: model, maxBatch: 16)
    var gradient: [Float] = []
    let all = Array(0..<60)
    let first = model.lossAndGradient(
      on: data, indices: all, gradient: &gradient, workspace: workspace)
    var previous = first
    for _ in 0..<200 {
      let loss = model.lossAndGradient(
        on: data, indices: all, gradient: &gradient, workspace: workspace)
      previous = loss
      model.apply(gradient: gradient, learningRate: 0.5)
    }
    #expect(previous < 0.5 * first, "loss \(first) -> \(previous)")
    #expect(model.evaluate(on: data, workspace: workspace).accuracy >= 0.95)
  }
}
