using System.CommandLine;
using MigInfer.InferenceServer.Configuration;
using MigInfer.InferenceServer.Hosting;

var root = ServerCommandLine.Create(Environment.GetEnvironmentVariable, ServerRunner.RunAsync);

// The host handles SIGTERM itself (drain, then exit), so the parser must not.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
