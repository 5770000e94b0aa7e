import Foundation
import Synchronization

/// Which SHA-256 digests ``IDXDataset/load(directory:checksums:)`` checks.
public enum ChecksumPolicy: Sendable, Equatable {
  /// ``fashionMNIST`` for ``IDXDataset/fashionMNISTDirectory``, ``skip`` for any other
  /// directory.
  case automatic
  /// The four files must be Fashion-MNIST's: the SHA-256 of each decompressed file must
  /// equal the published one (Debian re-compressed the files, so the digests are of the
  /// decompressed content, not of the `.gz` files).
  case fashionMNIST
  /// No digest is checked (a user's own IDX files, MNIST, test fixtures); the magic numbers
  /// and sizes still are.
  case skip
}

/// A training and a test set read from the four IDX files of the MNIST layout.
public struct IDXDataset: Sendable {
  /// The training images (60,000 for Fashion-MNIST).
  public let train: LabeledImages
  /// The test images (10,000 for Fashion-MNIST).
  public let test: LabeledImages

  /// Where Debian's `dataset-fashion-mnist` puts the files:
  /// `/usr/share/datasets/fashion-mnist`.
  public static let fashionMNISTDirectory = URL(
    fileURLWithPath: "/usr/share/datasets/fashion-mnist", isDirectory: true)

  /// The file names, without `.gz`, in the order train images, train labels, test images,
  /// test labels.
  public static let fileNames = [
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
  ]

  /// SHA-256 of the decompressed Fashion-MNIST files, by file name.
  public static let fashionMNISTDigests: [String: String] = [
    "train-images-idx3-ubyte": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "train-labels-idx1-ubyte": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "t10k-images-idx3-ubyte": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    "t10k-labels-idx1-ubyte": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
  ]

  /// A data set from two in-memory sets of the same image size and class count.
  ///
  /// - Throws: ``DatasetError/invalid(field:detail:)`` naming `test` when the sizes or
  ///   class counts differ.
  public init(train: LabeledImages, test: LabeledImages) throws(DatasetError) {
    guard train.rows == test.rows, train.columns == test.columns,
      train.classCount == test.classCount
    else {
      throw .invalid(
        field: "test",
        detail: "images of \(test.rows)×\(test.columns) with \(test.classCount) classes, "
          + "the training set has \(train.rows)×\(train.columns) with \(train.classCount)")
    }
    self.train = train
    self.test = test
  }

  /// Reads `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`
  /// and `t10k-labels-idx1-ubyte` from `directory`, each gzip'd (`name.gz`) or plain
  /// (`name`; preferred when both exist).
  ///
  /// Checks: the magic numbers (`0x00000803` images, `0x00000801` labels), that each file
  /// holds exactly the bytes its header announces, that images and labels agree on the
  /// count, that training and test images have the same size, and (under
  /// ``ChecksumPolicy/fashionMNIST``, the default for the default directory) the SHA-256 of
  /// each decompressed file. Pixels are scaled by 1/255; the class count is one more than
  /// the largest label of either set.
  ///
  /// - Throws: a ``DatasetError`` naming the file and what is wrong; a missing default
  ///   directory names the apt package `dataset-fashion-mnist`.
  /// - Complexity: O(total bytes); the 60,000 training images take well under a second in
  ///   a release build. A file whose digest this process has already checked (same path,
  ///   size and modification time) is not hashed again.
  public static func load(
    directory: URL = fashionMNISTDirectory, checksums: ChecksumPolicy = .automatic
  ) throws(DatasetError) -> IDXDataset {
    let isDefault =
      directory.standardizedFileURL.path == fashionMNISTDirectory.standardizedFileURL.path
    let verify: Bool
    switch checksums {
    case .automatic: verify = isDefault
    case .fashionMNIST: verify = true
    case .skip: verify = false
    }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory),
      isDirectory.boolValue
    else {
      throw .directoryMissing(path: directory.path, isFashionMNISTDefault: isDefault)
    }
    var files: [IDXReader.File] = []
    for (position, name) in fileNames.enumerated() {
      let plain = directory.appendingPathComponent(name).path
      let path: String
      if FileManager.default.fileExists(atPath: plain) {
        path = plain
      } else if FileManager.default.fileExists(atPath: plain + ".gz") {
        path = plain + ".gz"
      } else {
        throw .fileMissing(path: plain, isFashionMNISTDefault: isDefault)
      }
      let magic = position % 2 == 0 ? IDXReader.imageMagic : IDXReader.labelMagic
      let stamp = verify ? FileStamp(path: path) : nil
      let known = stamp.map { s in verifiedFiles.withLock { $0.contains(s) } } ?? false
      let file = try IDXReader.read(path: path, magic: magic, hash: verify && !known)
      if let expected = fashionMNISTDigests[name], let actual = file.sha256 {
        guard actual == expected else {
          throw .checksumMismatch(path: path, expected: expected, actual: actual)
        }
        if let stamp { _ = verifiedFiles.withLock { $0.insert(stamp) } }
      }
      files.append(file)
    }
    let trainImages = files[0]
    let testImages = files[2]
    guard trainImages.dimensions[1...] == testImages.dimensions[1...] else {
      throw .shapeMismatch(
        train: trainImages.path, trainShape: Array(trainImages.dimensions[1...]),
        test: testImages.path, testShape: Array(testImages.dimensions[1...]))
    }
    for pair in [(0, 1), (2, 3)] {
      let images = files[pair.0]
      let labels = files[pair.1]
      guard images.dimensions[0] == labels.dimensions[0] else {
        throw .countMismatch(
          images: images.path, imageCount: images.dimensions[0], labels: labels.path,
          labelCount: labels.dimensions[0])
      }
    }
    let classCount = 1 + Int(max(files[1].payload.max() ?? 0, files[3].payload.max() ?? 0))
    func set(_ images: IDXReader.File, _ labels: IDXReader.File) -> LabeledImages {
      LabeledImages(
        unchecked: images.dimensions[1], columns: images.dimensions[2], classCount: classCount,
        pixels: scaled(images.payload), labels: Array(labels.payload))
    }
    return IDXDataset(unchecked: set(files[0], files[1]), test: set(files[2], files[3]))
  }

  /// A file identified by path, size and modification time.
  private struct FileStamp: Hashable, Sendable {
    let path: String
    let size: Int
    let modified: Double

    init?(path: String) {
      guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
        let size = attributes[.size] as? Int,
        let modified = attributes[.modificationDate] as? Date
      else { return nil }
      self.path = path
      self.size = size
      self.modified = modified.timeIntervalSince1970
    }
  }

  /// Files whose digest this process has already checked (unchanged path, size and
  /// modification time): a second load skips hashing them again.
  private static let verifiedFiles = Mutex<Set<FileStamp>>([])

  private init(unchecked train: LabeledImages, test: LabeledImages) {
    self.train = train
    self.test = test
  }

  /// Bytes 0…255 as floats 0…1 (by a table of b/255, so that 255 maps to exactly 1).
  private static func scaled(_ bytes: ArraySlice<UInt8>) -> [Float] {
    var table = [Float](repeating: 0, count: 256)
    for value in 0..<256 { table[value] = Float(value) / 255 }
    return [Float](unsafeUninitializedCapacity: bytes.count) { target, initialized in
      bytes.withUnsafeBufferPointer { source in
        table.withUnsafeBufferPointer { lookup in
          let from = source.baseAddress!
          let to = target.baseAddress!
          let scale = lookup.baseAddress!
          for i in 0..<source.count { to[i] = scale[Int(from[i])] }
        }
      }
      initialized = bytes.count
    }
  }
}
