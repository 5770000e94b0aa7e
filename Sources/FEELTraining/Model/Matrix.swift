/// Single-precision matrix products for the model layer, row-major, with the semantics of
/// BLAS `sgemm` in row-major order:
///
///   C ← α·op(A)·op(B) + β·C,  op(X) = X or Xᵀ,  op(A) m×k, op(B) k×n, C m×n.
///
/// `lda`, `ldb`, `ldc` are the row strides of the stored matrices. With β = 0, C is
/// overwritten (its old content, even NaN, is ignored), as in BLAS.
///
/// The products go to OpenBLAS when it is installed (``OpenBLAS``, loaded at run time) and
/// to the pure-Swift kernel below otherwise; README (dependencies) gives the measurements
/// behind that choice.
enum Matrix {
  /// C ← α·op(A)·op(B) + β·C (see ``Matrix``).
  ///
  /// - Complexity: O(m·n·k).
  static func multiply(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
    c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    guard m > 0, n > 0 else { return }
    if let blas = OpenBLAS.shared, k > 0 {
      blas.sgemm(
        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a,
        lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
      return
    }
    swiftMultiply(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a,
      lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
  }

  /// The pure-Swift kernel of ``multiply(transposeA:transposeB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``.
  static func swiftMultiply(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
    c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    guard m > 0, n > 0 else { return }
    for i in 0..<m { scale(c + i * ldc, count: n, by: beta) }
    guard k > 0, alpha != 0 else { return }
    switch (transposeA, transposeB) {
    case (false, false):
      // C[i, :] += α·A[i, p]·B[p, :]
      for i in 0..<m {
        let row = c + i * ldc
        for p in 0..<k { axpy(alpha * a[i * lda + p], b + p * ldb, row, count: n) }
      }
    case (false, true):
      // C[i, j] += α·⟨A[i, :], B[j, :]⟩
      for i in 0..<m {
        for j in 0..<n { c[i * ldc + j] += alpha * dot(a + i * lda, b + j * ldb, count: k) }
      }
    case (true, false):
      // C[i, :] += α·A[p, i]·B[p, :]
      for p in 0..<k {
        for i in 0..<m { axpy(alpha * a[p * lda + i], b + p * ldb, c + i * ldc, count: n) }
      }
    case (true, true):
      for i in 0..<m {
        for j in 0..<n {
          var sum: Float = 0
          for p in 0..<k { sum += a[p * lda + i] * b[j * ldb + p] }
          c[i * ldc + j] += alpha * sum
        }
      }
    }
  }

  /// x ← β·x (β = 0 writes zeros).
  @inline(__always)
  static func scale(_ x: UnsafeMutablePointer<Float>, count: Int, by beta: Float) {
    if beta == 0 {
      x.update(repeating: 0, count: count)
    } else if beta != 1 {
      for j in 0..<count { x[j] *= beta }
    }
  }

  /// y ← y + a·x.
  @inline(__always)
  static func axpy(
    _ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int
  ) {
    if a == 0 { return }
    for j in 0..<count { y[j] += a * x[j] }
  }

  /// ⟨x, y⟩ with eight partial sums.
  @inline(__always)
  static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Float {
    var acc = SIMD8<Float>()
    var j = 0
    while j + 8 <= count {
      let u = UnsafeRawPointer(x + j).loadUnaligned(as: SIMD8<Float>.self)
      let v = UnsafeRawPointer(y + j).loadUnaligned(as: SIMD8<Float>.self)
      acc += u * v
      j += 8
    }
    var sum = acc.sum()
    while j < count {
      sum += x[j] * y[j]
      j += 1
    }
    return sum
  }
}
