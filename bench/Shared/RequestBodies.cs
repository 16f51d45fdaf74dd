using System.IO.Pipelines;

namespace McpGate.Bench;

/// <summary>Reading a whole request body from Kestrel's pipe, for the bench's small servers.</summary>
internal static class RequestBodies
{
    /// <summary>
    /// Reads until the body is complete and returns it all in one buffer, without copying; the caller advances the
    /// reader past it. Completes synchronously (no allocation) when the body has already arrived, as small ones have.
    /// </summary>
    public static async ValueTask<ReadResult> ReadToEndAsync(PipeReader reader, CancellationToken cancel)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancel);
            if (read.IsCompleted || read.IsCanceled)
            {
                return read;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }
}
