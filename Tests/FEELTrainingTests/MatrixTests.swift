import Testing

@testable import FEELTraining

/// Both matrix kernels (the pure-Swift one always; OpenBLAS when installed) against a
/// double-precision triple loop, for every transposition, α, β and padded strides.
@Suite struct MatrixTests {
  typealias Kernel = (
    Bool, Bool, Int, Int, Int, Float, UnsafePointer<Float>, Int, UnsafePointer<Float>, Int,
    Float, UnsafeMutablePointer<Float>, Int
  ) -> Void

  static var kernels: [(String, Kernel)] {
    var list: [(String, Kernel)] = [
      (
        "swift",
        {
          Matrix.swiftMultiply(
            transposeA: $0, transposeB: $1, m: $2, n: $3, k: $4, alpha: $5, a: $6, lda: $7,
            b: $8, ldb: $9, beta: $10, c: $11, ldc: $12)
        }
      )
    ]
    if let blas = OpenBLAS.shared {
      list.append(
        (
          "openblas",
          {
            blas.sgemm(
              transposeA: $0, transposeB: $1, m: $2, n: $3, k: $4, alpha: $5, a: $6, lda: $7,
              b: $8, ldb: $9, beta: $10, c: $11, ldc: $12)
          }
        ))
    }
    return list
  }

  @Test func productsMatchADoubleReference() {
    var random = TrainingRandom(seed: 0x6E33)
    for (name, kernel) in Self.kernels {
      for trial in 0..<40 {
        let m = 1 + random.below(trial < 20 ? 13 : 40)
        let n = 1 + random.below(trial < 20 ? 21 : 40)
        let k = 1 + random.below(trial < 20 ? 17 : 70)
        let ta = random.below(2) == 1
        let tb = random.below(2) == 1
        let alpha: Float = [1, 0.5, -2][random.below(3)]
        let beta: Float = [0, 1, 0.25][random.below(3)]
        // Stored shapes (rows × columns) and padded row strides.
        let (aRows, aColumns) = ta ? (k, m) : (m, k)
        let (bRows, bColumns) = tb ? (n, k) : (k, n)
        let lda = aColumns + random.below(3)
        let ldb = bColumns + random.below(3)
        let ldc = n + random.below(3)
        let a = (0..<(aRows * lda)).map { _ in Float(random.unit() * 2 - 1) }
        let b = (0..<(bRows * ldb)).map { _ in Float(random.unit() * 2 - 1) }
        var c = (0..<(m * ldc)).map { _ in Float(random.unit() * 2 - 1) }
        if beta == 0 { c[0] = .nan }  // β = 0 must ignore the old content
        let old = c
        a.withUnsafeBufferPointer { pa in
          b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
              kernel(
                ta, tb, m, n, k, alpha, pa.baseAddress!, lda, pb.baseAddress!, ldb, beta,
                pc.baseAddress!, ldc)
            }
          }
        }
        for i in 0..<m {
          for j in 0..<n {
            var sum = 0.0
            for p in 0..<k {
              let x = ta ? a[p * lda + i] : a[i * lda + p]
              let y = tb ? b[j * ldb + p] : b[p * ldb + j]
              sum += Double(x) * Double(y)
            }
            let previous = beta == 0 ? 0 : Double(beta) * Double(old[i * ldc + j])
            let expected = Double(alpha) * sum + previous
            #expect(
              abs(Double(c[i * ldc + j]) - expected) <= 1e-5 * Double(k + 1),
              "\(name) trial \(trial) (\(ta), \(tb), \(m)×\(n)×\(k)) at \(i),\(j)")
          }
          // Padding columns of C are untouched.
          for j in n..<ldc { #expect(c[i * ldc + j] == old[i * ldc + j] || old[i * ldc + j].isNaN) }
        }
      }
    }
  }
}
