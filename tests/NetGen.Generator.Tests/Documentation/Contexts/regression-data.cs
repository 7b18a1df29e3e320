// Around a fragment that fits classical models: a design matrix `x` (one row per sample), real targets `y` and 0/1
// labels `labels01`.
internal static class Example
{
    internal static void Run(double[,] x, double[] y, double[] labels01)
    {
        /* fragment */
    }
}
