using System.Text.RegularExpressions;

namespace MigInfer.Planning.Catalog;

/// <summary>
/// The MIG-capable boards MigInfer knows, recognised from GPU Feature Discovery's
/// <c>nvidia.com/gpu.product</c> label. Geometry is data (see <see cref="BuiltInProducts"/>), not logic.
/// </summary>
public sealed partial class GpuCatalog
{
    private readonly Dictionary<string, GpuProduct> _byLabel = new(StringComparer.OrdinalIgnoreCase);

    public GpuCatalog(IEnumerable<GpuProduct> products)
    {
        Products = products.ToList();
        foreach (var product in Products)
        {
            _byLabel[product.Name] = product;
            foreach (var label in product.ProductLabels)
            {
                _byLabel[label] = product;
            }
        }
    }

    /// <summary>A100-40GB, A100-80GB and H100-80GB.</summary>
    public static GpuCatalog Default { get; } = new(BuiltInProducts.All);

    public IReadOnlyList<GpuProduct> Products { get; }

    /// <summary>
    /// Finds the board a product label names. GFD appends <c>-MIG-&lt;profile&gt;</c> under the single
    /// strategy and <c>-SHARED</c> with time-slicing; both are ignored.
    /// </summary>
    public bool TryResolve(string productLabel, out GpuProduct product)
    {
        var bare = Suffix().Replace(productLabel.Trim(), "");
        return _byLabel.TryGetValue(bare, out product!);
    }

    /// <summary>Like <see cref="TryResolve"/>, but an unknown product is an error that names it.</summary>
    public GpuProduct Resolve(string productLabel) =>
        TryResolve(productLabel, out var product)
            ? product
            : throw new PlanningInputException(
                $"unknown GPU product '{productLabel}'; known products: {string.Join(", ", Products.SelectMany(p => p.ProductLabels).Distinct())}");

    [GeneratedRegex("(-MIG-.*|-SHARED)$", RegexOptions.IgnoreCase)]
    private static partial Regex Suffix();
}
