import COpenBLAS

/// Matrix products through OpenBLAS's CBLAS interface, and the library's settings.
///
/// OpenBLAS runs on one thread per call: trials of a sweep run in parallel on their own threads,
/// and one BLAS thread each keeps results identical for any `--jobs` (a multi-threaded product
/// splits its sums differently).
public enum BLAS {
    /// Sets OpenBLAS to one thread, once per process (Swift runs a global's initialiser once).
    public static let configured: Bool = {
        openblas_set_num_threads(1)
        return true
    }()

    /// The processor kernel OpenBLAS selected ("Haswell", "SkylakeX", ...), which the
    /// environment variable `OPENBLAS_CORETYPE` can force.
    public static var coreName: String {
        _ = configured
        guard let p = openblas_get_corename() else { return "unknown" }
        return String(cString: p)
    }

    /// Row-major `C = alpha * op(A) * op(B) + beta * C`, where op(A) is `m x k` and op(B) is
    /// `k x n`; `lda`, `ldb`, `ldc` are the row strides of A, B and C as stored.
    @inlinable @inline(__always)
    public static func gemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
                            alpha: Float = 1, _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
                            beta: Float, _ c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard m > 0 && n > 0 else { return }
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
