namespace MigInfer.Scheduling;

/// <summary>
/// Fixed-size ring of recent relative errors; the mean is over what it holds. One writer; readers on
/// other threads see every sample whole (a sample is written before the count that includes it).
/// </summary>
internal sealed class ErrorWindow(int capacity)
{
    private readonly double[] samples = new double[capacity];
    private int next;
    private int count;

    public int Count => Volatile.Read(ref count);

    public double Mean
    {
        get
        {
            int n = Count;
            if (n == 0)
            {
                return 0;
            }

            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                sum += Volatile.Read(ref samples[i]);
            }

            return sum / n;
        }
    }

    public void Add(double value)
    {
        Volatile.Write(ref samples[next], value);
        next = (next + 1) % samples.Length;
        Volatile.Write(ref count, Math.Min(count + 1, samples.Length));
    }
}
