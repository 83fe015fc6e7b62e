namespace MigInfer.Scheduling;

/// <summary>Fixed-size ring of recent relative errors; the mean is over what it holds.</summary>
internal sealed class ErrorWindow(int capacity)
{
    private readonly double[] samples = new double[capacity];
    private int next;

    public int Count { get; private set; }

    public double Mean
    {
        get
        {
            if (Count == 0)
            {
                return 0;
            }

            double sum = 0;
            for (int i = 0; i < Count; i++)
            {
                sum += samples[i];
            }

            return sum / Count;
        }
    }

    public void Add(double value)
    {
        samples[next] = value;
        next = (next + 1) % samples.Length;
        Count = Math.Min(Count + 1, samples.Length);
    }
}
