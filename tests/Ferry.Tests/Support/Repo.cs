namespace Ferry.Tests.Support;

/// <summary>Paths inside the repository the tests were built from.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Ferry.sln"))) return d.FullName;
        throw new InvalidOperationException("cannot find the repository root (Ferry.sln)");
    }

    public static string GuestSources => Path.Combine(Root, "tests", "guest");
}
