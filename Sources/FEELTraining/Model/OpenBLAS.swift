import Foundation

/// OpenBLAS's `cblas_sgemm`, loaded at run time when the library is installed (Debian:
/// `libopenblas0`, any flavour), so that building and using the package needs no BLAS and
/// the pure-Swift kernel is the fallback.
///
/// The environment variable `FEEL_BLAS` chooses: unset or empty loads `libopenblas.so.0`
/// (then `libopenblas.so`); `swift` forces the pure-Swift kernel; any other value is the
/// path of a shared library exporting `cblas_sgemm`. OpenBLAS is asked to use one thread
/// (`openblas_set_num_threads(1)`): the training runs own their threads.
///
/// Concurrency: a threaded OpenBLAS (Debian's `libopenblas0-pthread`, the default flavour)
/// may be called from several threads at once. A single-threaded build is not safe for that
/// unless it was built with `USE_LOCKING`, which it does not report, so calls into a build
/// whose configuration says `SINGLE_THREADED` are serialized by a lock.
struct OpenBLAS: @unchecked Sendable {
  /// `cblas_sgemm(order, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc)`
  /// with 32-bit integers (Debian's OpenBLAS is built without ILP64).
  typealias SGEMM =
    @convention(c) (
      Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
      UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32
    ) -> Void

  /// The loaded `cblas_sgemm`.
  private let function: SGEMM
  /// Serializes calls into a single-threaded build (nil for a threaded one).
  private let lock: NSLock?
  /// The library's own description (`openblas_get_config`, plus the kernel family from
  /// `openblas_get_corename` where exported), or the path when it has none.
  let configuration: String

  /// The library, or nil when none is installed or `FEEL_BLAS=swift`.
  static let shared: OpenBLAS? = load()

  /// Row-major `cblas_sgemm` (see ``Matrix``).
  func sgemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
    c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    precondition(max(m, n, k, lda, ldb, ldc) <= Int(Int32.max), "matrix too large for BLAS")
    lock?.lock()
    defer { lock?.unlock() }
    function(
      Self.rowMajor, transposeA ? Self.transpose : Self.noTranspose,
      transposeB ? Self.transpose : Self.noTranspose, Int32(m), Int32(n), Int32(k), alpha, a,
      Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }

  /// CBLAS constants.
  static let rowMajor: Int32 = 101
  static let noTranspose: Int32 = 111
  static let transpose: Int32 = 112

  private static func load() -> OpenBLAS? {
    let choice = ProcessInfo.processInfo.environment["FEEL_BLAS"] ?? ""
    if choice == "swift" { return nil }
    let candidates = choice.isEmpty ? ["libopenblas.so.0", "libopenblas.so"] : [choice]
    for name in candidates {
      guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
      guard let symbol = dlsym(handle, "cblas_sgemm") else {
        dlclose(handle)
        continue
      }
      if let setThreads = dlsym(handle, "openblas_set_num_threads") {
        typealias SetThreads = @convention(c) (Int32) -> Void
        unsafeBitCast(setThreads, to: SetThreads.self)(1)
      }
      typealias Text = @convention(c) () -> UnsafePointer<CChar>?
      var parts: [String] = []
      for function in ["openblas_get_config", "openblas_get_corename"] {
        if let f = dlsym(handle, function), let text = unsafeBitCast(f, to: Text.self)() {
          parts.append(String(cString: text))
        }
      }
      let configuration = parts.isEmpty ? name : parts.joined(separator: ", kernel ")
      return OpenBLAS(
        function: unsafeBitCast(symbol, to: SGEMM.self),
        lock: configuration.contains("SINGLE_THREADED") ? NSLock() : nil,
        configuration: configuration)
    }
    return nil
  }
}

/// Which matrix-product kernel the model layer uses in this process.
public enum MatrixKernel {
  /// "OpenBLAS …" (its configuration) when OpenBLAS was loaded, otherwise "pure Swift".
  /// See README (dependencies) for the choice and the environment variable `FEEL_BLAS`.
  public static var description: String {
    OpenBLAS.shared.map { "OpenBLAS (\($0.configuration))" } ?? "pure Swift"
  }
}
