using System.Security.Cryptography;
using MigInfer.InferenceServer.Model;
using MigInfer.InferenceServer.Tests.Fixtures;

namespace MigInfer.InferenceServer.Tests.Model;

public sealed class ModelFetcherTests
{
    private static readonly byte[] Content = [.. Enumerable.Range(0, 5000).Select(i => (byte)i)];
    private static readonly string ContentSha = Convert.ToHexStringLower(SHA256.HashData(Content));

    [Fact]
    public async Task Url_IsDownloadedOnceIntoTheCacheAndChecked()
    {
        await using var files = await ModelFileServer.StartAsync(Content);
        using var http = new HttpClient();
        var fetcher = new ModelFetcher(http);
        var cache = Scratch.NewFolder("fetch");

        var first = await fetcher.FetchAsync(files.Url.ToString(), cache, 10_000, ContentSha.ToUpperInvariant(), CancellationToken.None).WithTimeout();
        var second = await fetcher.FetchAsync(files.Url.ToString(), cache, 10_000, ContentSha, CancellationToken.None).WithTimeout();

        Assert.Equal(first.Path, second.Path);
        Assert.StartsWith(cache, first.Path, StringComparison.Ordinal);
        Assert.Equal(Content, await File.ReadAllBytesAsync(first.Path));
        Assert.Equal((5000L, ContentSha), (first.Bytes, first.Sha256));
        Assert.Equal(1, files.Downloads);
    }

    [Fact]
    public async Task UrlAboveTheSizeLimit_IsRefusedAndLeavesNoFile()
    {
        await using var files = await ModelFileServer.StartAsync(Content);
        using var http = new HttpClient();
        var cache = Scratch.NewFolder("fetch");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => new ModelFetcher(http).FetchAsync(files.Url.ToString(), cache, 4096, null, CancellationToken.None).WithTimeout());

        Assert.Contains("limit of 4096 bytes", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(cache));
    }

    [Fact]
    public async Task UrlWithWrongChecksum_IsRefusedAndLeavesNoFile()
    {
        await using var files = await ModelFileServer.StartAsync(Content);
        using var http = new HttpClient();
        var cache = Scratch.NewFolder("fetch");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => new ModelFetcher(http).FetchAsync(files.Url.ToString(), cache, 10_000, new string('a', 64), CancellationToken.None).WithTimeout());

        Assert.Contains($"sha256 {ContentSha}", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(cache));
    }

    [Fact]
    public async Task LocalPathAndFileUri_AreUsedInPlace()
    {
        var path = Path.Combine(Scratch.NewFolder("fetch"), "m.onnx");
        await File.WriteAllBytesAsync(path, Content);
        using var http = new HttpClient();
        var fetcher = new ModelFetcher(http);

        var local = await fetcher.FetchAsync(path, "/unused", 10_000, ContentSha, CancellationToken.None).WithTimeout();
        var uri = await fetcher.FetchAsync(new Uri(path).AbsoluteUri, "/unused", 10_000, null, CancellationToken.None).WithTimeout();

        Assert.Equal((path, path), (local.Path, uri.Path));
        await Assert.ThrowsAsync<InvalidDataException>(() => fetcher.FetchAsync(path, "/unused", 100, null, CancellationToken.None).WithTimeout());
        await Assert.ThrowsAsync<FileNotFoundException>(() => fetcher.FetchAsync(path + ".missing", "/unused", 10_000, null, CancellationToken.None).WithTimeout());
    }

    [Fact]
    public async Task MissingRelativePath_NamesTheFolderItWasLookedFor()
    {
        using var http = new HttpClient();

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => new ModelFetcher(http).FetchAsync("models/absent.onnx", "/unused", 10_000, null, CancellationToken.None).WithTimeout());

        Assert.Equal($"model file 'models/absent.onnx' does not exist (relative to the working directory {Environment.CurrentDirectory})", error.Message);
    }
}
