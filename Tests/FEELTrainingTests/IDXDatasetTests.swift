import CZlib
import Foundation
import Testing

@testable import FEELTraining

/// The IDX loader on small files written here (gzip'd and plain), good and damaged, and on
/// the installed Fashion-MNIST files.
@Suite struct IDXDatasetTests {
  /// Big-endian IDX bytes with the given magic, dimensions and payload.
  static func idx(magic: UInt32, dimensions: [Int], payload: [UInt8]) -> [UInt8] {
    var bytes: [UInt8] = []
    for word in [magic] + dimensions.map(UInt32.init) {
      bytes += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: word >> UInt32($0)) }
    }
    return bytes + payload
  }

  /// A fresh temporary directory.
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "feel-idx-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Writes `bytes` to `url`, gzip'd through zlib when `gzip` is true.
  static func write(_ bytes: [UInt8], to url: URL, gzip: Bool) throws {
    if gzip {
      let file = try #require(gzopen(url.path, "wb"))
      let written = bytes.withUnsafeBufferPointer {
        gzwrite(file, $0.baseAddress, UInt32($0.count))
      }
      #expect(Int(written) == bytes.count)
      #expect(gzclose(file) == Z_OK)
    } else {
      try Data(bytes).write(to: url)
    }
  }

  /// The four files of a tiny data set: `train` images of 3×2 pixels, `test` images, pixel
  /// value of image i, pixel j = (7i + j) mod 256, labels i mod 4.
  static func files(train: Int = 5, test: Int = 4) -> [String: [UInt8]] {
    func images(_ n: Int) -> [UInt8] {
      idx(
        magic: 0x0803, dimensions: [n, 3, 2],
        payload: (0..<(n * 6)).map { UInt8(truncatingIfNeeded: 7 * ($0 / 6) + $0 % 6) })
    }
    func labels(_ n: Int) -> [UInt8] {
      idx(magic: 0x0801, dimensions: [n], payload: (0..<n).map { UInt8($0 % 4) })
    }
    return [
      "train-images-idx3-ubyte": images(train), "train-labels-idx1-ubyte": labels(train),
      "t10k-images-idx3-ubyte": images(test), "t10k-labels-idx1-ubyte": labels(test),
    ]
  }

  /// A directory holding `files`, each gzip'd or plain.
  static func directory(_ files: [String: [UInt8]], gzip: Bool) throws -> URL {
    let dir = try temporaryDirectory()
    for (name, bytes) in files {
      try write(bytes, to: dir.appendingPathComponent(gzip ? name + ".gz" : name), gzip: gzip)
    }
    return dir
  }

  @Test(arguments: [false, true])
  func readsAWellFormedSetGzippedOrPlain(gzip: Bool) throws {
    let dir = try Self.directory(Self.files(), gzip: gzip)
    defer { try? FileManager.default.removeItem(at: dir) }
    let set = try IDXDataset.load(directory: dir)
    #expect(set.train.count == 5 && set.test.count == 4)
    #expect(set.train.rows == 3 && set.train.columns == 2 && set.train.featureCount == 6)
    #expect(set.train.classCount == 4 && set.test.classCount == 4)
    #expect(set.train.labels == [0, 1, 2, 3, 0])
    for i in 0..<5 {
      for j in 0..<6 {
        #expect(set.train.pixels[i * 6 + j] == Float(7 * i + j) / 255)
      }
    }
    #expect(set.test.pixels.count == 24)
  }

  @Test func mixedGzippedAndPlainFilesAreAccepted() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    for (offset, entry) in Self.files().sorted(by: { $0.key < $1.key }).enumerated() {
      let gzip = offset % 2 == 0
      try Self.write(
        entry.value, to: dir.appendingPathComponent(entry.key + (gzip ? ".gz" : "")), gzip: gzip)
    }
    #expect(try IDXDataset.load(directory: dir).train.count == 5)
  }

  /// Loads `files` (after `damage`) and returns the error, which must name `file`.
  static func failure(
    _ files: [String: [UInt8]], gzip: Bool, checksums: ChecksumPolicy = .automatic,
    file: String
  ) throws -> DatasetError {
    let dir = try directory(files, gzip: gzip)
    defer { try? FileManager.default.removeItem(at: dir) }
    do {
      _ = try IDXDataset.load(directory: dir, checksums: checksums)
    } catch {
      #expect(error.description.contains(file), "\(error) does not name \(file)")
      return error
    }
    Issue.record("loading succeeded")
    return .invalid(field: "", detail: "")
  }

  @Test(arguments: [false, true])
  func truncatedPayloadIsRejected(gzip: Bool) throws {
    var files = Self.files()
    files["train-images-idx3-ubyte"]!.removeLast()
    let error = try Self.failure(files, gzip: gzip, file: "train-images-idx3-ubyte")
    #expect(error.isTruncated(expected: 16 + 30, actual: 16 + 29))
  }

  @Test(arguments: [false, true])
  func truncatedHeaderIsRejected(gzip: Bool) throws {
    var files = Self.files()
    files["t10k-labels-idx1-ubyte"] = [0, 0, 8, 1, 0, 0]
    let error = try Self.failure(files, gzip: gzip, file: "t10k-labels-idx1-ubyte")
    #expect(error.isTruncated(expected: 8, actual: 6))
  }

  @Test(arguments: [false, true])
  func trailingBytesAreRejected(gzip: Bool) throws {
    var files = Self.files()
    files["train-labels-idx1-ubyte"]!.append(0)
    let error = try Self.failure(files, gzip: gzip, file: "train-labels-idx1-ubyte")
    #expect(
      error
        == .trailingBytes(
          path: error.path ?? "", expectedBytes: 8 + 5, actualBytes: 8 + 6))
  }

  @Test(arguments: [false, true])
  func badMagicIsRejected(gzip: Bool) throws {
    var files = Self.files()
    // A label file where the images belong: the magic says one dimension, not three.
    files["t10k-images-idx3-ubyte"] = files["t10k-labels-idx1-ubyte"]
    let error = try Self.failure(files, gzip: gzip, file: "t10k-images-idx3-ubyte")
    #expect(error == .badMagic(path: error.path ?? "", expected: 0x0803, found: 0x0801))
  }

  @Test(arguments: [false, true])
  func imageAndLabelCountsMustAgree(gzip: Bool) throws {
    var files = Self.files()
    files["train-labels-idx1-ubyte"] = Self.files(train: 6)["train-labels-idx1-ubyte"]
    let error = try Self.failure(files, gzip: gzip, file: "train-labels-idx1-ubyte")
    guard case .countMismatch(_, 5, _, 6) = error else {
      Issue.record("\(error)")
      return
    }
  }

  @Test func trainAndTestImageSizesMustAgree() throws {
    var files = Self.files()
    files["t10k-images-idx3-ubyte"] = Self.idx(
      magic: 0x0803, dimensions: [4, 2, 3], payload: [UInt8](repeating: 1, count: 24))
    let error = try Self.failure(files, gzip: false, file: "t10k-images-idx3-ubyte")
    guard case .shapeMismatch(_, [3, 2], _, [2, 3]) = error else {
      Issue.record("\(error)")
      return
    }
  }

  @Test func zeroDimensionIsRejected() throws {
    var files = Self.files()
    files["t10k-images-idx3-ubyte"] = Self.idx(magic: 0x0803, dimensions: [4, 0, 2], payload: [])
    let error = try Self.failure(files, gzip: false, file: "t10k-images-idx3-ubyte")
    guard case .badDimension = error else {
      Issue.record("\(error)")
      return
    }
  }

  /// A gzip stream cut in half, and one whose CRC-32 trailer is damaged, are rejected as
  /// unreadable (zlib's error), not read as shorter or wrong data.
  @Test(arguments: ["cut", "crc"])
  func damagedGzipStreamIsRejected(damage: String) throws {
    let dir = try Self.directory(Self.files(), gzip: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let victim = dir.appendingPathComponent("train-images-idx3-ubyte.gz")
    var compressed = [UInt8](try Data(contentsOf: victim))
    if damage == "cut" {
      compressed.removeLast(compressed.count / 2)
    } else {
      compressed[compressed.count - 8] ^= 0xff
    }
    try Data(compressed).write(to: victim)
    do {
      _ = try IDXDataset.load(directory: dir)
      Issue.record("loading succeeded")
    } catch {
      guard case .unreadable(let path, _) = error else {
        Issue.record("\(error)")
        return
      }
      #expect(path.hasSuffix("train-images-idx3-ubyte.gz"))
    }
  }

  @Test func missingFileIsNamed() throws {
    var files = Self.files()
    files["t10k-labels-idx1-ubyte"] = nil
    let error = try Self.failure(files, gzip: true, file: "t10k-labels-idx1-ubyte")
    guard case .fileMissing(_, false) = error else {
      Issue.record("\(error)")
      return
    }
  }

  @Test func missingDirectoryIsNamedAndTheDefaultNamesTheAptPackage() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "feel-idx-absent-\(UUID().uuidString)")
    #expect(throws: DatasetError.directoryMissing(path: dir.path, isFashionMNISTDefault: false)) {
      try IDXDataset.load(directory: dir)
    }
    let text = DatasetError.directoryMissing(
      path: IDXDataset.fashionMNISTDirectory.path, isFashionMNISTDefault: true
    ).description
    #expect(text.contains("apt-get install dataset-fashion-mnist"))
    #expect(text.contains("/usr/share/datasets/fashion-mnist"))
    let missing = DatasetError.fileMissing(path: "x", isFashionMNISTDefault: true).description
    #expect(missing.contains("apt-get install dataset-fashion-mnist"))
  }

  /// Asking for the Fashion-MNIST digests on other files fails on the first file.
  @Test func checksumMismatchNamesTheFile() throws {
    let error = try Self.failure(
      Self.files(), gzip: true, checksums: .fashionMNIST, file: "train-images-idx3-ubyte")
    guard case .checksumMismatch(_, let expected, let actual) = error else {
      Issue.record("\(error)")
      return
    }
    #expect(expected == IDXDataset.fashionMNISTDigests["train-images-idx3-ubyte"])
    #expect(actual == SHA256.hexDigest(Self.files()["train-images-idx3-ubyte"]!))
  }

  /// The installed Fashion-MNIST (Debian's dataset-fashion-mnist; scripts/test.sh installs
  /// it), digests checked by default.
  @Test func installedFashionMNISTLoadsWithItsDigests() throws {
    let set = try IDXDataset.load()
    #expect(set.train.count == 60_000 && set.test.count == 10_000)
    #expect(set.train.rows == 28 && set.train.columns == 28 && set.train.classCount == 10)
    #expect(set.train.pixels.count == 60_000 * 784)
    // Fashion-MNIST is balanced: 6,000 training and 1,000 test images per class.
    var perClass = [Int](repeating: 0, count: 10)
    for label in set.train.labels { perClass[Int(label)] += 1 }
    #expect(perClass == [Int](repeating: 6_000, count: 10))
    perClass = [Int](repeating: 0, count: 10)
    for label in set.test.labels { perClass[Int(label)] += 1 }
    #expect(perClass == [Int](repeating: 1_000, count: 10))
  }

  @Test func inMemorySetsAreValidated() {
    #expect(throws: DatasetError.self) {
      try LabeledImages(rows: 2, columns: 2, classCount: 3, pixels: [0, 0, 0], labels: [0])
    }
    #expect(throws: DatasetError.self) {
      try LabeledImages(rows: 1, columns: 1, classCount: 3, pixels: [0.5], labels: [3])
    }
    #expect(throws: DatasetError.self) {
      try LabeledImages(rows: 1, columns: 1, classCount: 3, pixels: [.nan], labels: [0])
    }
    #expect(throws: DatasetError.self) {
      try LabeledImages(rows: 0, columns: 1, classCount: 3, pixels: [], labels: [])
    }
    let set = try? LabeledImages(
      rows: 1, columns: 2, classCount: 3, pixels: [0, 0.1, 0.2, 0.3, 0.4, 1], labels: [0, 1, 2])
    let picked = set?.subset([2, 0, 2])
    #expect(picked?.pixels == [0.4, 1, 0, 0.1, 0.4, 1])
    #expect(picked?.labels == [2, 0, 2])
    #expect(picked?.classCount == 3)
  }
}

extension DatasetError {
  /// The file a file-level error names.
  var path: String? {
    switch self {
    case .truncated(let path, _, _), .trailingBytes(let path, _, _), .badMagic(let path, _, _),
      .unreadable(let path, _), .checksumMismatch(let path, _, _), .badDimension(let path, _):
      return path
    default: return nil
    }
  }

  func isTruncated(expected: Int, actual: Int) -> Bool {
    if case .truncated(_, expected, actual) = self { return true }
    return false
  }
}
