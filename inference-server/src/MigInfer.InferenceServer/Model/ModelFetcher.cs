using System.Security.Cryptography;
using System.Text;

namespace MigInfer.InferenceServer.Model;

/// <summary>
/// Brings the model to local disk: a local path or <c>file://</c> URI is used in place; an
/// <c>http(s)://</c> URL is downloaded once into the cache folder. Either way the file must fit the
/// size limit and, when a checksum is given, match its SHA-256.
/// </summary>
internal sealed class ModelFetcher(HttpClient http)
{
    public async Task<FetchedModel> FetchAsync(string location, string cacheDirectory, long maxBytes, string? expectedSha256, CancellationToken cancellationToken)
    {
        if (Uri.TryCreate(location, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return await DownloadAsync(uri, cacheDirectory, maxBytes, expectedSha256, cancellationToken).ConfigureAwait(false);
        }

        var path = uri is { IsFile: true } ? uri.LocalPath : location;
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            // A relative path is read from the working directory, which `dotnet run` sets to the project's folder.
            var where = Path.IsPathRooted(path) ? "" : $" (relative to the working directory {Environment.CurrentDirectory})";
            throw new FileNotFoundException($"model file '{path}' does not exist{where}", path);
        }

        CheckSize(path, file.Length, maxBytes);
        var sha = await HashAsync(path, cancellationToken).ConfigureAwait(false);
        CheckChecksum(path, sha, expectedSha256);
        return new FetchedModel(path, file.Length, sha);
    }

    private async Task<FetchedModel> DownloadAsync(Uri uri, string cacheDirectory, long maxBytes, string? expectedSha256, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(cacheDirectory);
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(uri.AbsoluteUri)))[..16];
        var name = Path.GetFileName(uri.LocalPath);
        var target = Path.Combine(cacheDirectory, $"{key}-{(name.Length > 0 ? name : "model.onnx")}");
        if (File.Exists(target))
        {
            var cachedSha = await HashAsync(target, cancellationToken).ConfigureAwait(false);
            if (expectedSha256 is null || string.Equals(cachedSha, expectedSha256, StringComparison.OrdinalIgnoreCase))
            {
                return new FetchedModel(target, new FileInfo(target).Length, cachedSha);
            }
        }

        var partial = target + ".partial";
        using (var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false))
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidDataException($"model download from {uri} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            if (response.Content.Headers.ContentLength is { } declared)
            {
                CheckSize(uri.ToString(), declared, maxBytes);
            }

            var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                var sink = File.Create(partial);
                await using (sink.ConfigureAwait(false))
                {
                    var buffer = new byte[81920];
                    long total = 0;
                    int read;
                    while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        total += read;
                        if (total > maxBytes)
                        {
                            sink.Close();
                            File.Delete(partial);
                            CheckSize(uri.ToString(), total, maxBytes);
                        }

                        await sink.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }

        var sha = await HashAsync(partial, cancellationToken).ConfigureAwait(false);
        try
        {
            CheckChecksum(uri.ToString(), sha, expectedSha256);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }

        File.Move(partial, target, overwrite: true);
        return new FetchedModel(target, new FileInfo(target).Length, sha);
    }

    private static void CheckSize(string source, long bytes, long maxBytes)
    {
        if (bytes > maxBytes)
        {
            throw new InvalidDataException($"model '{source}' has at least {bytes} bytes, above the limit of {maxBytes} bytes");
        }
    }

    private static void CheckChecksum(string source, string actual, string? expected)
    {
        if (expected is not null && !string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"model '{source}' has sha256 {actual} but {expected} was expected");
        }
    }

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }
    }
}
