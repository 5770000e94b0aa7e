/// Reusable buffers for the forward and backward passes of one thread, so that a training
/// step allocates nothing.
///
/// Not thread-safe: one workspace per concurrent run. Batches larger than `maxBatch` are
/// processed in chunks of `maxBatch` samples (the result is the same up to float rounding).
/// A workspace made for one model size adapts itself when used with another.
public final class MLPWorkspace {
  /// The most samples one chunk of a pass holds.
  public let maxBatch: Int
  private(set) var inputs: Int
  private(set) var hidden: Int
  private(set) var classes: Int
  /// Gathered inputs, maxBatch × inputs.
  private(set) var x: UnsafeMutablePointer<Float>
  /// Hidden activations h = max(W₁x + b₁, 0), maxBatch × hidden.
  private(set) var h: UnsafeMutablePointer<Float>
  /// ∂ℓ/∂a for the hidden pre-activations, maxBatch × hidden.
  private(set) var dh: UnsafeMutablePointer<Float>
  /// Logits, then probabilities, then ∂ℓ/∂z; maxBatch × classes.
  private(set) var z: UnsafeMutablePointer<Float>

  /// Buffers for passes of `model` over at most `maxBatch` samples at a time.
  ///
  /// - Precondition: `maxBatch > 0`.
  public init(model: MLP, maxBatch: Int) {
    precondition(maxBatch > 0, "MLPWorkspace: maxBatch must be positive")
    self.maxBatch = maxBatch
    inputs = model.inputs
    hidden = model.hidden
    classes = model.classes
    (x, h, dh, z) = Self.allocate(maxBatch, model.inputs, model.hidden, model.classes)
  }

  deinit {
    deallocate()
  }

  /// Resizes the buffers when `model` has other sizes than the last one.
  func prepare(for model: MLP) {
    if model.inputs != inputs || model.hidden != hidden || model.classes != classes {
      inputs = model.inputs
      hidden = model.hidden
      classes = model.classes
      deallocate()
      (x, h, dh, z) = Self.allocate(maxBatch, inputs, hidden, classes)
    }
  }

  private static func allocate(
    _ batch: Int, _ inputs: Int, _ hidden: Int, _ classes: Int
  ) -> (
    UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
    UnsafeMutablePointer<Float>
  ) {
    func buffer(_ count: Int) -> UnsafeMutablePointer<Float> {
      let p = UnsafeMutablePointer<Float>.allocate(capacity: count)
      p.initialize(repeating: 0, count: count)
      return p
    }
    return (
      buffer(batch * inputs), buffer(batch * hidden), buffer(batch * hidden),
      buffer(batch * classes)
    )
  }

  private func deallocate() {
    x.deallocate()
    h.deallocate()
    dh.deallocate()
    z.deallocate()
  }
}
