using System;

namespace NetGen.Classical;

/// <summary>A symmetric system that is not positive definite: Cholesky met a pivot ≤ 0 (a singular or indefinite matrix).</summary>
public sealed class MatrixNotPositiveDefiniteException : InvalidOperationException
{
    /// <summary>Creates the exception for pivot <paramref name="pivotIndex"/> with value <paramref name="pivot"/>.</summary>
    public MatrixNotPositiveDefiniteException(string what, int pivotIndex, double pivot)
        : base($"{what} is not positive definite: Cholesky pivot {pivotIndex} is {pivot:R} (≤ 0 relative to the diagonal). " +
            "The system is singular (collinear or constant features, fewer samples than unknowns) or indefinite; " +
            "add a ridge term (λ > 0) or remove the redundant features.")
    {
        PivotIndex = pivotIndex;
        Pivot = pivot;
    }

    /// <summary>The 0-based row where the factorization failed.</summary>
    public int PivotIndex { get; }

    /// <summary>The pivot value found there.</summary>
    public double Pivot { get; }
}

/// <summary>
/// The small dense linear algebra in double the classical learners need: row-major square matrices in a flat array, a
/// Cholesky factorization that refuses singular systems, solves and inverses. Meant for hundreds of unknowns, not millions.
/// </summary>
public static class LinearAlgebra
{
    /// <summary>Factorizes the symmetric matrix <paramref name="a"/> (n×n, row-major; only the lower triangle is read) into
    /// L·Lᵀ and returns L (lower triangle, zeros above). Throws <see cref="MatrixNotPositiveDefiniteException"/> when a pivot is
    /// not positive, or is below 1e-13 times the largest diagonal entry (numerically singular).</summary>
    public static double[] Cholesky(ReadOnlySpan<double> a, int n, string what = "The matrix")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (a.Length != n * n)
        {
            throw new ArgumentException($"Expected {n}×{n} = {n * n} entries, got {a.Length}.", nameof(a));
        }
        double scale = 0;
        for (int i = 0; i < n; i++)
        {
            scale = Math.Max(scale, Math.Abs(a[i * n + i]));
        }
        double floor = 1e-13 * scale;
        var l = new double[n * n];
        for (int j = 0; j < n; j++)
        {
            double d = a[j * n + j];
            for (int k = 0; k < j; k++)
            {
                d -= l[j * n + k] * l[j * n + k];
            }
            if (!(d > floor))
            {
                throw new MatrixNotPositiveDefiniteException(what, j, d);
            }
            double root = Math.Sqrt(d);
            l[j * n + j] = root;
            for (int i = j + 1; i < n; i++)
            {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++)
                {
                    s -= l[i * n + k] * l[j * n + k];
                }
                l[i * n + j] = s / root;
            }
        }
        return l;
    }

    /// <summary>Solves L·Lᵀ·x = b in place of <paramref name="b"/>, with L from <see cref="Cholesky"/>.</summary>
    public static void CholeskySolve(ReadOnlySpan<double> l, int n, Span<double> b)
    {
        for (int i = 0; i < n; i++)
        {
            double s = b[i];
            for (int k = 0; k < i; k++)
            {
                s -= l[i * n + k] * b[k];
            }
            b[i] = s / l[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--)
        {
            double s = b[i];
            for (int k = i + 1; k < n; k++)
            {
                s -= l[k * n + i] * b[k];
            }
            b[i] = s / l[i * n + i];
        }
    }

    /// <summary>Solves the symmetric positive definite system A·x = b by Cholesky.</summary>
    public static double[] SolveSymmetric(ReadOnlySpan<double> a, int n, ReadOnlySpan<double> b, string what = "The matrix")
    {
        double[] l = Cholesky(a, n, what);
        double[] x = b.ToArray();
        CholeskySolve(l, n, x);
        return x;
    }

    /// <summary>The inverse of a symmetric positive definite matrix, by Cholesky.</summary>
    public static double[] InverseSymmetric(ReadOnlySpan<double> a, int n, string what = "The matrix")
    {
        double[] l = Cholesky(a, n, what);
        var inverse = new double[n * n];
        var column = new double[n];
        for (int j = 0; j < n; j++)
        {
            Array.Clear(column);
            column[j] = 1;
            CholeskySolve(l, n, column);
            for (int i = 0; i < n; i++)
            {
                inverse[i * n + j] = column[i];
            }
        }
        return inverse;
    }
}
