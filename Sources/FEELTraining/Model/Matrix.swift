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
    let fullRows = m / 4 * 4
    let fullColumns = n / 8 * 8
    guard fullRows > 0, fullColumns > 0, k >= 8 else {
      accumulate(
        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a,
        lda: lda, b: b, ldb: ldb, c: c, ldc: ldc)
      return
    }
    // op(B) as a row-major k × n array with contiguous rows, packed when transposed.
    var packed: UnsafeMutablePointer<Float>? = nil
    defer { packed?.deallocate() }
    var rowB = b
    var strideB = ldb
    if transposeB {
      let buffer = UnsafeMutablePointer<Float>.allocate(capacity: k * n)
      for j in 0..<n {
        let column = b + j * ldb
        for p in 0..<k { buffer[p * n + j] = column[p] }
      }
      packed = buffer
      rowB = UnsafePointer(buffer)
      strideB = n
    }
    // op(A)[i, p] = a[i·rowStep + p·depthStep].
    let (rowStep, depthStep) = transposeA ? (1, lda) : (lda, 1)
    tiles(
      rows: fullRows, columns: fullColumns, k: k, alpha: alpha, a: a, rowStep: rowStep,
      depthStep: depthStep, b: rowB, ldb: strideB, c: c, ldc: ldc)
    // The edges: the last n mod 8 columns of every row, then the last m mod 4 rows.
    if fullColumns < n {
      accumulate(
        transposeA: transposeA, transposeB: false, m: m, n: n - fullColumns, k: k, alpha: alpha,
        a: a, lda: lda, b: rowB + fullColumns, ldb: strideB, c: c + fullColumns, ldc: ldc)
    }
    if fullRows < m {
      accumulate(
        transposeA: transposeA, transposeB: false, m: m - fullRows, n: fullColumns, k: k,
        alpha: alpha, a: transposeA ? a + fullRows : a + fullRows * lda, lda: lda, b: rowB,
        ldb: strideB, c: c + fullRows * ldc, ldc: ldc)
    }
  }

  /// C[0..<rows, 0..<columns] += α·op(A)·B in tiles of 4 × 8 held in registers (eight
  /// four-wide vector accumulators on baseline x86-64). Both operands are first packed
  /// (GotoBLAS style) so that the inner loop reads them sequentially: op(A) in panels of
  /// four rows, `panelA[p·4 + r]`, and B in strips of eight columns, `stripB[p·8 + c]`.
  /// `rows` is a multiple of 4, `columns` of 8.
  private static func tiles(
    rows: Int, columns: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, rowStep: Int,
    depthStep: Int, b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    let panels = UnsafeMutablePointer<Float>.allocate(capacity: rows * k)
    let strips = UnsafeMutablePointer<Float>.allocate(capacity: k * columns)
    defer {
      panels.deallocate()
      strips.deallocate()
    }
    for i0 in stride(from: 0, to: rows, by: 4) {
      let panel = panels + i0 * k
      for r in 0..<4 {
        let row = a + (i0 + r) * rowStep
        for p in 0..<k { panel[p * 4 + r] = row[p * depthStep] }
      }
    }
    for j0 in stride(from: 0, to: columns, by: 8) {
      let strip = strips + j0 * k
      for p in 0..<k {
        (strip + p * 8).update(from: b + p * ldb + j0, count: 8)
      }
    }
    /// One 4 × 8 tile at rows i0…i0+3, columns j0…j0+7.
    @inline(__always) func tile(_ i0: Int, _ j0: Int) {
      let panel = UnsafeRawPointer(panels + i0 * k)
      let strip = UnsafeRawPointer(strips + j0 * k)
      var c0 = SIMD8<Float>()
      var c1 = SIMD8<Float>()
      var c2 = SIMD8<Float>()
      var c3 = SIMD8<Float>()
      var offsetA = 0
      var offsetB = 0
      for _ in 0..<k {
        let bv = strip.loadUnaligned(fromByteOffset: offsetB, as: SIMD8<Float>.self)
        let av = panel.loadUnaligned(fromByteOffset: offsetA, as: SIMD4<Float>.self)
        c0 += SIMD8(repeating: av[0]) * bv
        c1 += SIMD8(repeating: av[1]) * bv
        c2 += SIMD8(repeating: av[2]) * bv
        c3 += SIMD8(repeating: av[3]) * bv
        offsetA += 16
        offsetB += 32
      }
      addScaled(c0, alpha, to: c + i0 * ldc + j0)
      addScaled(c1, alpha, to: c + (i0 + 1) * ldc + j0)
      addScaled(c2, alpha, to: c + (i0 + 2) * ldc + j0)
      addScaled(c3, alpha, to: c + (i0 + 3) * ldc + j0)
    }
    // Keep the larger operand's block in cache: rows outer when op(A) is the larger (its
    // panel is reused across all column strips), column strips outer otherwise.
    if rows >= columns {
      for i0 in stride(from: 0, to: rows, by: 4) {
        for j0 in stride(from: 0, to: columns, by: 8) { tile(i0, j0) }
      }
    } else {
      for j0 in stride(from: 0, to: columns, by: 8) {
        for i0 in stride(from: 0, to: rows, by: 4) { tile(i0, j0) }
      }
    }
  }

  /// target[0..<8] += α·v.
  @inline(__always)
  private static func addScaled(
    _ v: SIMD8<Float>, _ alpha: Float, to target: UnsafeMutablePointer<Float>
  ) {
    let raw = UnsafeMutableRawPointer(target)
    let old = raw.loadUnaligned(as: SIMD8<Float>.self)
    raw.storeBytes(of: old + alpha * v, as: SIMD8<Float>.self)
  }

  /// C += α·op(A)·op(B) by plain loops (row updates and dot products).
  static func accumulate(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
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
