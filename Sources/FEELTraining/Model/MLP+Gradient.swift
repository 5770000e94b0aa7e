import Foundation

// The hand-written forward and backward passes of the MLP.
//
// Priorities: exact agreement with the mathematics (the gradient is checked against finite
// differences of an independent double-precision loss in the tests); then no allocation per
// step; then speed (the matrix products go through `Matrix`).
//
// For a chunk of m samples X (m × inputs, row-major) with labels y and the mean taken over
// all n samples of the call:
//
//   A = X·W₁ᵀ + 1b₁ᵀ,  H = max(A, 0),  Z = H·W₂ᵀ + 1b₂ᵀ,  P = softmax(Z) by rows,
//   L = (1/n) Σ_i (log Σ_c e^{Z_ic} − Z_{i,y_i}),
//   ∂L/∂Z = (P − Y)/n,  ∂L/∂W₂ = (∂L/∂Z)ᵀ·H,  ∂L/∂b₂ = 1ᵀ·∂L/∂Z,
//   ∂L/∂A = (∂L/∂Z·W₂) ⊙ [A > 0],  ∂L/∂W₁ = (∂L/∂A)ᵀ·X,  ∂L/∂b₁ = 1ᵀ·∂L/∂A.
//
// (ReLU′(0) is taken as 0.) Chunks accumulate into the same gradient.

extension MLP {
  /// Mean softmax cross-entropy over `data[indices]` and its gradient (the mean over those
  /// samples), written into `gradient` (resized to ``parameterCount``). Returns the mean
  /// loss. For an empty `indices` the loss and the gradient are zero.
  ///
  /// This is a device's local gradient g_k of the paper's eq. (1) over its batch of
  /// B_k = `indices.count` samples (repeats allowed).
  ///
  /// - Precondition: `data.featureCount == inputs`, `data.classCount <= classes`, every
  ///   index in `0 ..< data.count`.
  /// - Complexity: O(n · parameterCount) for n = `indices.count`.
  public func lossAndGradient(
    on data: LabeledImages, indices: [Int], gradient: inout [Float], workspace: MLPWorkspace
  ) -> Double {
    checkShape(data)
    workspace.prepare(for: self)
    if gradient.count != parameterCount {
      gradient = [Float](repeating: 0, count: parameterCount)
    }
    let n = indices.count
    var lossSum = 0.0
    let scale = n > 0 ? 1 / Float(n) : 0
    let (b1, w2, b2) = offsets
    parameters.withUnsafeBufferPointer { thetaBuffer in
      gradient.withUnsafeMutableBufferPointer { gradientBuffer in
        let theta = thetaBuffer.baseAddress!
        let g = gradientBuffer.baseAddress!
        g.update(repeating: 0, count: parameterCount)
        var start = 0
        while start < n {
          let m = min(workspace.maxBatch, n - start)
          gather(data, indices[start..<(start + m)], into: workspace.x)
          forward(theta: theta, rows: m, workspace: workspace)
          lossSum += softmaxCrossEntropy(
            rows: m, labels: data.labels, indices: indices[start..<(start + m)],
            z: workspace.z, gradientScale: scale)
          // ∂L/∂W₂ += dZᵀ·H, ∂L/∂b₂ += column sums of dZ.
          Matrix.multiply(
            transposeA: true, transposeB: false, m: classes, n: hidden, k: m, alpha: 1,
            a: workspace.z, lda: classes, b: workspace.h, ldb: hidden, beta: 1, c: g + w2,
            ldc: hidden)
          addColumnSums(workspace.z, rows: m, columns: classes, into: g + b2)
          // dA = (dZ·W₂) ⊙ [H > 0].
          Matrix.multiply(
            transposeA: false, transposeB: false, m: m, n: hidden, k: classes, alpha: 1,
            a: workspace.z, lda: classes, b: theta + w2, ldb: hidden, beta: 0, c: workspace.dh,
            ldc: hidden)
          let count = m * hidden
          let h = workspace.h
          let dh = workspace.dh
          for i in 0..<count where !(h[i] > 0) { dh[i] = 0 }
          // ∂L/∂W₁ += dAᵀ·X, ∂L/∂b₁ += column sums of dA.
          Matrix.multiply(
            transposeA: true, transposeB: false, m: hidden, n: inputs, k: m, alpha: 1,
            a: workspace.dh, lda: hidden, b: workspace.x, ldb: inputs, beta: 1, c: g,
            ldc: inputs)
          addColumnSums(workspace.dh, rows: m, columns: hidden, into: g + b1)
          start += m
        }
      }
    }
    return n > 0 ? lossSum / Double(n) : 0
  }

  /// Mean loss and accuracy (the fraction of samples whose largest logit is the label; ties
  /// go to the lower class) over the whole set, or over `indices` when given, in chunks of
  /// the workspace's `maxBatch`. An empty set gives NaN for both.
  ///
  /// - Precondition: as for ``lossAndGradient(on:indices:gradient:workspace:)``.
  /// - Complexity: O(n · parameterCount).
  public func evaluate(
    on data: LabeledImages, indices: [Int]? = nil, workspace: MLPWorkspace
  ) -> (loss: Double, accuracy: Double) {
    checkShape(data)
    workspace.prepare(for: self)
    let chosen = indices ?? Array(0..<data.count)
    let n = chosen.count
    guard n > 0 else { return (.nan, .nan) }
    var lossSum = 0.0
    var correct = 0
    parameters.withUnsafeBufferPointer { thetaBuffer in
      let theta = thetaBuffer.baseAddress!
      var start = 0
      while start < n {
        let m = min(workspace.maxBatch, n - start)
        let chunk = chosen[start..<(start + m)]
        gather(data, chunk, into: workspace.x)
        forward(theta: theta, rows: m, workspace: workspace)
        let z = workspace.z
        for (row, index) in chunk.enumerated() {
          let logits = z + row * classes
          var best = 0
          for c in 1..<max(classes, 1) where logits[c] > logits[best] { best = c }
          if best == Int(data.labels[index]) { correct += 1 }
          lossSum += crossEntropy(logits, label: Int(data.labels[index]))
        }
        start += m
      }
    }
    return (lossSum / Double(n), Double(correct) / Double(n))
  }

  private func checkShape(_ data: LabeledImages) {
    precondition(
      data.featureCount == inputs, "data has \(data.featureCount) features, the model \(inputs)")
    precondition(
      data.classCount <= classes, "data has \(data.classCount) classes, the model \(classes)")
  }

  /// Copies the images at `indices` into consecutive rows of `x`.
  private func gather(
    _ data: LabeledImages, _ indices: ArraySlice<Int>, into x: UnsafeMutablePointer<Float>
  ) {
    data.pixels.withUnsafeBufferPointer { pixels in
      for (row, index) in indices.enumerated() {
        precondition(index >= 0 && index < data.count, "index \(index) not in 0..<\(data.count)")
        (x + row * inputs).update(from: pixels.baseAddress! + index * inputs, count: inputs)
      }
    }
  }

  /// H = max(X·W₁ᵀ + b₁, 0) and Z = H·W₂ᵀ + b₂ for the first `rows` rows of the workspace.
  private func forward(theta: UnsafePointer<Float>, rows m: Int, workspace: MLPWorkspace) {
    let (b1, w2, b2) = offsets
    let h = workspace.h
    let z = workspace.z
    Matrix.multiply(
      transposeA: false, transposeB: true, m: m, n: hidden, k: inputs, alpha: 1,
      a: workspace.x, lda: inputs, b: theta, ldb: inputs, beta: 0, c: h, ldc: hidden)
    for i in 0..<m {
      let row = h + i * hidden
      for j in 0..<hidden {
        let a = row[j] + theta[b1 + j]
        row[j] = a > 0 ? a : 0
      }
    }
    Matrix.multiply(
      transposeA: false, transposeB: true, m: m, n: classes, k: hidden, alpha: 1, a: h,
      lda: hidden, b: theta + w2, ldb: hidden, beta: 0, c: z, ldc: classes)
    for i in 0..<m {
      let row = z + i * classes
      for j in 0..<classes { row[j] += theta[b2 + j] }
    }
  }

  /// Σ_i ℓ_i over the chunk; replaces each row of `z` by (softmax(z) − e_y)·`gradientScale`.
  private func softmaxCrossEntropy(
    rows m: Int, labels: [UInt8], indices: ArraySlice<Int>, z: UnsafeMutablePointer<Float>,
    gradientScale: Float
  ) -> Double {
    var sum = 0.0
    for (row, index) in indices.enumerated() {
      let logits = z + row * classes
      let label = Int(labels[index])
      sum += crossEntropy(logits, label: label)
      var top = logits[0]
      for c in 1..<max(classes, 1) where logits[c] > top { top = logits[c] }
      var total: Float = 0
      for c in 0..<classes {
        let e = Foundation.exp(logits[c] - top)
        logits[c] = e
        total += e
      }
      let inverse = gradientScale / total
      for c in 0..<classes { logits[c] *= inverse }
      logits[label] -= gradientScale
    }
    return sum
  }

  /// log Σ_c e^{z_c} − z_label, stable (the largest logit is factored out).
  private func crossEntropy(_ logits: UnsafeMutablePointer<Float>, label: Int) -> Double {
    var top = logits[0]
    for c in 1..<max(classes, 1) where logits[c] > top { top = logits[c] }
    var total: Float = 0
    for c in 0..<classes { total += Foundation.exp(logits[c] - top) }
    return Double(Foundation.log(total) + top - logits[label])
  }

  /// out[j] += Σ_i a[i, j].
  private func addColumnSums(
    _ a: UnsafeMutablePointer<Float>, rows: Int, columns: Int, into out: UnsafeMutablePointer<Float>
  ) {
    for i in 0..<rows {
      let row = a + i * columns
      for j in 0..<columns { out[j] += row[j] }
    }
  }
}
