using System.Text;
using Ferry.Linux;

namespace Ferry;

/// <summary>The outcome of <see cref="GuestProgram.RunCaptured"/>: how the guest ended and what it wrote.</summary>
public sealed record CapturedRun(ProcessExit Exit, byte[] StandardOutput, byte[] StandardError)
{
    public string StandardOutputText => Encoding.UTF8.GetString(StandardOutput);
    public string StandardErrorText => Encoding.UTF8.GetString(StandardError);
}
